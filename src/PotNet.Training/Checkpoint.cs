using System.Text;
using System.Text.Json;
using PotNet.Serialization;
using TorchSharp.Modules;

namespace PotNet.Training;

/// <summary>
/// A training run's state after an epoch: the settings, the epochs done and their reports, the float
/// shadow weights, each layer's running maximum and the optimiser's state. One file: a magic line, the
/// metadata as JSON, then TorchSharp's own encodings of the module and the optimiser. Written atomically.
/// </summary>
public sealed class Checkpoint
{
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("POTNET-CHECKPOINT-1\n");

    /// <summary>The run's settings (<see cref="TrainingOptions.Describe"/>).</summary>
    public required SortedDictionary<string, string> Settings { get; init; }

    /// <summary>Epochs completed.</summary>
    public required int EpochsDone { get; init; }

    /// <summary>The completed epochs' reports.</summary>
    public required IReadOnlyList<EpochReport> History { get; init; }

    /// <summary>Each weighted layer's running maximum, by name.</summary>
    public required SortedDictionary<string, double> RunningMax { get; init; }

    /// <summary>Writes the checkpoint of <paramref name="network"/> and <paramref name="optimizer"/> to <paramref name="path"/>.</summary>
    public void Save(string path, QatNetwork network, Adam optimizer)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(JsonSerializer.Serialize(new Metadata(Settings, EpochsDone, [.. History], RunningMax)));
            network.save(writer);
            optimizer.save_state_dict(writer);
        });
    }

    /// <summary>The settings of the run saved in <paramref name="path"/>, read without a network (to build the network they describe).</summary>
    /// <exception cref="PotNetException">The file is not a checkpoint.</exception>
    public static SortedDictionary<string, string> ReadSettings(string path) => ReadMetadata(path).Metadata.Settings;

    /// <summary>
    /// Rebuilds the quantisation-aware network a checkpoint was saved from: its settings, the network
    /// with the saved weights and running maxima, and the epochs that trained it (to prune or export it).
    /// </summary>
    /// <exception cref="PotNetException">The file is not a checkpoint, or is of a float run.</exception>
    public static (TrainingOptions Options, QatNetwork Network, IReadOnlyList<EpochReport> History) LoadQuantized(string path)
    {
        TrainingOptions options = TrainingOptions.FromSettings(ReadSettings(path), path);
        if (options.Format is null) throw new PotNetException($"{path}: the checkpoint of a float run; prune one trained with a weight format (potnet train --weights pot4 --checkpoint C)");
        var network = new QatNetwork(Architectures.Create(options.Model), _ => options.Format, options.Rounding, options.PerChannel);
        var (checkpoint, _) = Load(path, network);
        return (options, network, checkpoint.History);
    }

    /// <summary>Reads a checkpoint's metadata and loads its weights and running maxima into <paramref name="network"/>; returns the checkpoint and an action that loads the optimiser's state into an optimiser built for the network.</summary>
    /// <exception cref="PotNetException">The file is not a checkpoint or does not fit the network.</exception>
    public static (Checkpoint Checkpoint, Action<Adam> LoadOptimizer) Load(string path, QatNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var (reader, metadata) = ReadMetadata(path);
        try
        {
            var checkpoint = new Checkpoint
            {
                Settings = metadata.Settings,
                EpochsDone = metadata.EpochsDone,
                History = metadata.History,
                RunningMax = metadata.RunningMax,
            };
            string model = checkpoint.Settings.GetValueOrDefault("model", "?");
            network.load(reader, strict: true);
            network.RestoreRunningMaxima(checkpoint.RunningMax, name => new PotNetException($"{path}: running_max: no entry for layer '{name}' (the checkpoint is of model '{model}')"));

            return (checkpoint, optimizer => Guard(path, () => optimizer.load_state_dict(reader)));
        }
        catch (Exception ex) when (IsCorruption(ex))
        {
            throw new PotNetException($"{path}: corrupt, or of another network: {ex.Message}", ex);
        }
    }

    /// <summary>Checks the magic line and reads the metadata; the reader is left at the module's encoding.</summary>
    private static (BinaryReader Reader, Metadata Metadata) ReadMetadata(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException ex)
        {
            throw new PotNetException($"{path}: cannot read the checkpoint: {ex.Message}", ex);
        }

        var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        try
        {
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)) throw new PotNetException($"{path}: not a potnet checkpoint");
            Metadata metadata = JsonSerializer.Deserialize<Metadata>(reader.ReadString())
                ?? throw new PotNetException($"{path}: empty checkpoint metadata");
            return (reader, metadata);
        }
        catch (Exception ex) when (IsCorruption(ex))
        {
            throw new PotNetException($"{path}: corrupt, or of another network: {ex.Message}", ex);
        }
    }

    private static void Guard(string path, Action load)
    {
        try
        {
            load();
        }
        catch (Exception ex) when (IsCorruption(ex))
        {
            throw new PotNetException($"{path}: optimiser state: corrupt, or of another network: {ex.Message}", ex);
        }
    }

    private static bool IsCorruption(Exception ex) =>
        ex is EndOfStreamException or JsonException or ArgumentException or InvalidOperationException or FormatException or NotImplementedException;

    private sealed record Metadata(SortedDictionary<string, string> Settings, int EpochsDone, List<EpochReport> History, SortedDictionary<string, double> RunningMax);
}
