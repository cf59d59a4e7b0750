using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PotNet.Hardware.Generation;
using PotNet.Model;
using PotNet.Serialization;

namespace PotNet.Hardware.Simulation;

/// <summary>A generated design directory, loaded back: its manifest, model and schedule, and the simulator drivers.</summary>
public sealed class Design
{
    private Design(string directory, DesignManifest manifest, Schedule schedule)
    {
        Directory = directory;
        Manifest = manifest;
        Schedule = schedule;
    }

    /// <summary>The design's directory (absolute).</summary>
    public string Directory { get; }

    /// <summary>Its manifest.</summary>
    public DesignManifest Manifest { get; }

    /// <summary>Its schedule, rebuilt from the model and parameters.</summary>
    public Schedule Schedule { get; }

    /// <summary>Loads a design written by <see cref="DesignWriter"/>; checks that its model is the one it was generated from.</summary>
    public static Design Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string root = Path.GetFullPath(directory);
        string manifestPath = Path.Combine(root, DesignFiles.Manifest);
        if (!File.Exists(manifestPath)) throw new PotNetException($"{directory}: not a generated design (no {DesignFiles.Manifest}; run potnet hw generate)");
        DesignManifest manifest = ManifestJson.Read(manifestPath);
        string modelPath = Path.Combine(root, manifest.Model);
        if (!File.Exists(modelPath)) throw new PotNetException($"{modelPath}: the design's model is missing");
        if (DesignWriter.Sha256(modelPath) != manifest.ModelSha256)
        {
            throw new PotNetException($"{modelPath}: changed since the design was generated (SHA-256 differs from {DesignFiles.Manifest}); generate again");
        }

        QuantizedModel model = ModelFile.Load(modelPath);
        var config = new AcceleratorConfig(
            Enum.Parse<PeKind>(manifest.Pe, ignoreCase: true), manifest.Parallel, manifest.Lanes, manifest.ZeroGating,
            manifest.MacMultiplier is null ? MacMultiplier.Dsp : Enum.Parse<MacMultiplier>(manifest.MacMultiplier, ignoreCase: true),
            Enum.Parse<DataflowKind>(manifest.Dataflow, ignoreCase: true), manifest.ZeroSkipping);
        return new Design(root, manifest, Schedule.Create(model, config));
    }

    /// <summary>Yosys synthesis of the whole design for <paramref name="target"/> (log and statistics in <paramref name="workDirectory"/>).</summary>
    public Synthesis.ResourceReport Synthesize(Synthesis.SynthesisTarget target, string workDirectory) =>
        Synthesis.YosysSynthesis.Run(Manifest.Sources, TopLevelGenerator.ModuleName, target, workDirectory, Directory);

    /// <summary>Verilator's <c>--lint-only -Wall</c> of the design: the warnings, none when clean.</summary>
    public ProcessResult Lint() => ProcessRunner.Run(Directory, SimulatorCommands.Lint());

    /// <summary>
    /// Builds the simulation; a failed build is a <see cref="PotNetException"/> with the tool's last lines.
    /// With <paramref name="reuse"/> (a folder), a build of the same sources made before is copied from
    /// there instead of made again, and a new build is kept there: the built simulator depends only on
    /// the Verilog (rtl/ and the file list), the build command and the simulator's version, while the
    /// ROM images in mem/ are read when it runs, so designs that differ only in their weights' values
    /// (pruned variants of one network) share one build.
    /// </summary>
    public ProcessResult Build(Simulator simulator, string? reuse = null)
    {
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, SimulatorCommands.BuildDirectory(simulator)));
        string program = Path.Combine(Directory, SimulatorCommands.Program(simulator));
        string? kept = reuse is null ? null : Path.Combine(reuse, BuildHash(simulator), Path.GetFileName(program));
        if (kept is not null && File.Exists(kept))
        {
            File.Copy(kept, program, overwrite: true);
            return new ProcessResult(0, $"reused {kept}", "", TimeSpan.Zero);
        }

        ProcessResult result = ProcessRunner.Run(Directory, SimulatorCommands.Build(simulator));
        if (result.ExitCode != 0)
        {
            throw new PotNetException(
                $"the design in {Directory} failed to build with {SimulatorCommands.Name(simulator)} (exit code {result.ExitCode}): {result.Tail().Replace('\n', ' ')}");
        }

        if (kept is not null)
        {
            // Copied under a temporary name and moved, so that a concurrent run never copies half a file.
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(kept)!);
            string partial = $"{kept}.{Guid.NewGuid():N}.partial";
            File.Copy(program, partial);
            File.Move(partial, kept, overwrite: true);
        }

        return result;
    }

    /// <summary>What the build of this design depends on, hashed: the build command, the simulator's version, the file list and every file in rtl/.</summary>
    private string BuildHash(Simulator simulator)
    {
        var text = new StringBuilder();
        text.AppendLine(string.Join(' ', SimulatorCommands.Build(simulator)));
        ProcessResult version = ProcessRunner.Run(Directory, SimulatorCommands.Version(simulator));
        text.AppendLine(version.Output).AppendLine(version.Error);
        text.AppendLine(File.ReadAllText(Path.Combine(Directory, DesignFiles.SimulationList)));
        foreach (string file in System.IO.Directory.GetFiles(Path.Combine(Directory, DesignFiles.Rtl)).Order(StringComparer.Ordinal))
        {
            text.Append(Path.GetFileName(file)).Append('\n').AppendLine(File.ReadAllText(file));
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    /// <summary>
    /// Simulates <paramref name="images"/> (built first with <see cref="Build"/>); <paramref name="expected"/>
    /// holds each image's logits and class, for the testbench's own comparison; <paramref name="stimulus"/>
    /// says how the bench drives the stream (steady by default).
    /// </summary>
    public (SimulationResult Result, ProcessResult Process) Simulate(Simulator simulator, IReadOnlyList<ReadOnlyMemory<byte>> images, IReadOnlyList<int[]> expected, StreamStimulus? stimulus = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(expected);
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "sim"));
        File.WriteAllLines(Path.Combine(Directory, DesignFiles.Images), images.SelectMany(i => i.ToArray()).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
        File.WriteAllLines(Path.Combine(Directory, DesignFiles.Expected), expected.SelectMany(e => e).Select(v => v.ToString("x8", CultureInfo.InvariantCulture)));
        string outputs = Path.Combine(Directory, DesignFiles.Outputs);
        File.Delete(outputs);
        ProcessResult process = ProcessRunner.Run(Directory, SimulatorCommands.Run(simulator, images.Count, stimulus));
        if (process.ExitCode != 0 || !File.Exists(outputs))
        {
            throw new PotNetException($"the {SimulatorCommands.Name(simulator)} simulation in {Directory} failed (exit code {process.ExitCode}): {process.Tail().Replace('\n', ' ')}");
        }

        return (SimulationResult.Parse(outputs, images.Count, Schedule.Config.Dataflow), process);
    }
}
