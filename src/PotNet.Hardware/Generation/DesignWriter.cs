using System.Security.Cryptography;
using PotNet.Hardware.Simulation;
using PotNet.Hardware.Verilog;
using PotNet.Model;
using PotNet.Serialization;

namespace PotNet.Hardware.Generation;

/// <summary>
/// Writes a generated design directory: Verilog (library and generated modules), ROM images, the
/// testbench, the run script, the manifest and a copy of the model. The directory appears whole or
/// not at all: it is assembled beside the target and renamed into place.
/// </summary>
public static class DesignWriter
{
    /// <summary>Generates the design of <paramref name="schedule"/> into <paramref name="directory"/>, replacing an earlier design there.</summary>
    public static DesignManifest Write(Schedule schedule, string directory)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(directory);
        string target = Path.GetFullPath(directory);
        CheckTarget(target);
        string parent = Path.GetDirectoryName(target) ?? throw new PotNetException($"{directory}: cannot write a design at the file system's root");
        Directory.CreateDirectory(parent);
        string staging = Path.Combine(parent, $".{Path.GetFileName(target)}.tmp-{Guid.NewGuid():N}");
        try
        {
            DesignManifest manifest = WriteFiles(schedule, staging);
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            Directory.Move(staging, target);
            return manifest;
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Refuses to replace a directory that holds anything but an earlier design.</summary>
    private static void CheckTarget(string target)
    {
        if (File.Exists(target)) throw new PotNetException($"{target}: is a file; --out takes a directory");
        if (!Directory.Exists(target) || !Directory.EnumerateFileSystemEntries(target).Any()) return;
        if (!File.Exists(Path.Combine(target, DesignFiles.Manifest)))
        {
            throw new PotNetException($"{target}: exists and is not a potnet design (no {DesignFiles.Manifest}); choose an empty or new directory");
        }
    }

    private static DesignManifest WriteFiles(Schedule s, string root)
    {
        AcceleratorConfig c = s.Config;
        Directory.CreateDirectory(Path.Combine(root, DesignFiles.Rtl));
        Directory.CreateDirectory(Path.Combine(root, "mem"));
        Directory.CreateDirectory(Path.Combine(root, "sim"));

        var sources = new List<string>();
        foreach (string file in RtlLibrary.DesignFiles(c.Pe, c.Dataflow)) sources.Add(Text(root, $"{DesignFiles.Rtl}/{file}", RtlLibrary.Read(file)));
        sources.Add(Text(root, $"{DesignFiles.Rtl}/{PassTableGenerator.ModuleName}.v", PassTableGenerator.Create(s).Render()));
        sources.Add(Text(root, $"{DesignFiles.Rtl}/{TopLevelGenerator.ModuleName}.v", TopLevelGenerator.Create(s).Render()));
        EventCounts predicted = CycleModel.Predict(s);
        string[] bench =
        [
            Text(root, $"{DesignFiles.Rtl}/{RtlLibrary.Testbench}", RtlLibrary.Read(RtlLibrary.Testbench)),
            Text(root, $"{DesignFiles.Rtl}/{TestbenchGenerator.ModuleName}.v", TestbenchGenerator.Create(s, predicted).Render()),
        ];
        Text(root, DesignFiles.CounterDump, CounterDumpGenerator.Create(c.Dataflow));

        foreach ((string path, IEnumerable<string> words) in RomImages.Of(s)) Lines(root, path, words);

        Lines(root, DesignFiles.DesignList, sources);
        Lines(root, DesignFiles.SimulationList, [DesignFiles.IncludeDirectory, .. sources, .. bench]);
        Text(root, DesignFiles.RunScript, SimulatorCommands.Script());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(root, DesignFiles.RunScript), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        string modelPath = Path.Combine(root, DesignFiles.Model);
        ModelFile.Save(s.Model, modelPath);
        DesignManifest manifest = Manifest(s, Sha256(modelPath), predicted, sources, bench);
        Text(root, DesignFiles.Manifest, ManifestJson.Write(manifest));
        return manifest;
    }

    /// <summary>SHA-256 of a file, lower-case hex.</summary>
    internal static string Sha256(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static DesignManifest Manifest(Schedule s, string sha, EventCounts predicted, IReadOnlyList<string> sources, IReadOnlyList<string> bench)
    {
        AcceleratorConfig c = s.Config;
        return new DesignManifest
        {
            Model = DesignFiles.Model,
            ModelSha256 = sha,
            Pe = c.PeName,
            Dataflow = c.DataflowName,
            Parallel = c.Parallel,
            Lanes = c.Lanes,
            ZeroGating = c.ZeroGating,
            ZeroSkipping = c.ZeroSkipping,
            MacMultiplier = c.MultiplierName,
            WeightFormat = s.Format.Name,
            InputSize = s.InputSize,
            Outputs = s.Outputs,
            Widths = RtlWidths.Values(s),
            Activations = ActivationMemories.Of(s),
            Local = LocalStorage.Of(s),
            Roms = RomShape.Of(s),
            Passes = [.. CycleModel.PredictByPass(s).Select(x => new PassSummary(x.Pass.Name, x.Pass.Kind.ToString().ToLowerInvariant(), x.Pass.Positions, x.Pass.Groups, x.Pass.Steps, x.Counts.Cycles))],
            Reuse = Energy.Reuse.Of(s),
            Predicted = predicted.Items.ToDictionary(i => i.Key, i => i.Value),
            Sources = sources,
            TestbenchSources = bench,
        };
    }

    private static string Text(string root, string relative, string text)
    {
        File.WriteAllText(Path.Combine(root, relative), text);
        return relative;
    }

    private static void Lines(string root, string relative, IEnumerable<string> lines) =>
        File.WriteAllLines(Path.Combine(root, relative), lines);
}
