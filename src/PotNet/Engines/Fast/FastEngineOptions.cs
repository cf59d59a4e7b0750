namespace PotNet.Engines;

/// <summary>How a <see cref="FastEngine"/> runs. The results never depend on these, only the speed.</summary>
public sealed record FastEngineOptions
{
    /// <summary>The instruction set; <see cref="FastPath.Auto"/> (the default) picks the best one supported.</summary>
    public FastPath Path { get; init; } = FastPath.Auto;

    /// <summary>Threads for batches (images are spread over them); single images always run on the caller's thread.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
}
