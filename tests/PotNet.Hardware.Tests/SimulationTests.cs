using CsCheck;
using PotNet.Formats;
using PotNet.Hardware.Generation;
using PotNet.Hardware.Simulation;
using PotNet.Model;
using Xunit.Abstractions;

namespace PotNet.Hardware.Tests;

/// <summary>
/// The generated RTL in Verilator and Icarus against the ReferenceEngine and the cycle model. Each
/// design is built once (Verilator builds take seconds); every case checks lint, every logit and
/// class, the cycles of every image and every counter.
/// </summary>
public class SimulationTests(ITestOutputHelper output)
{
    public static TheoryData<PeKind, int, int, bool, MacMultiplier, DataflowKind> Configurations
    {
        get
        {
            var data = new TheoryData<PeKind, int, int, bool, MacMultiplier, DataflowKind>();
            foreach (DataflowKind dataflow in Enum.GetValues<DataflowKind>())
            {
                data.Add(PeKind.Bac, 1, 1, false, MacMultiplier.Dsp, dataflow);
                data.Add(PeKind.Bac, 4, 3, true, MacMultiplier.Dsp, dataflow);
                data.Add(PeKind.Mac, 1, 1, false, MacMultiplier.Lut, dataflow);
                data.Add(PeKind.Mac, 4, 3, true, MacMultiplier.Dsp, dataflow);
                data.Add(PeKind.Apot, 1, 1, false, MacMultiplier.Dsp, dataflow);
                data.Add(PeKind.Apot, 4, 3, true, MacMultiplier.Dsp, dataflow);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void VerilatorIsBitExactAndCountsWhatTheModelPredicts(PeKind pe, int p, int l, bool gating, MacMultiplier multiplier, DataflowKind dataflow)
    {
        using var temp = new TempDirectory();
        QuantizedModel model = SmallNetwork(pe);
        Verification v = Verify(model, new AcceleratorConfig(pe, p, l, gating, multiplier, dataflow), temp.Path, Simulator.Verilator, images: 100);
        Assert.Equal(string.Empty, v.LintWarnings);
        Assert.True(v.Passed);
    }

    [Theory]
    [MemberData(nameof(ContractTests.Dataflows), MemberType = typeof(ContractTests))]
    public void IcarusIsBitExactAndCountsWhatTheModelPredicts(DataflowKind dataflow)
    {
        using var temp = new TempDirectory();
        Verification v = Verify(SmallNetwork(PeKind.Bac), new AcceleratorConfig(PeKind.Bac, 4, 3, true, Dataflow: dataflow), temp.Path, Simulator.Icarus, images: 100);
        Assert.Null(v.LintWarnings);
        Assert.True(v.Passed);
    }

    [Fact]
    public void RandomDesignsLintCleanAndRunBitExactInIcarus()
    {
        // Every kind and width, odd P and L: the corners of the generated widths.
        using var temp = new TempDirectory();
        int index = 0;
        // Zero-skipping rowbuffer designs run pruned networks: whole columns and blocks of zero codes.
        Gen.Select(Gen.Int, Gen.Int[0, 2], Gen.Int[2, 8], Gen.Int[1, 5], Gen.Int[1, 6], Gen.Bool, Gen.Int[0, 2]).Sample((seed, kind, bits, p, l, gating, flow) =>
        {
            PeKind pe = (PeKind)kind;
            DataflowKind dataflow = flow == 0 ? DataflowKind.Stream : DataflowKind.RowBuffer;
            bool skipping = flow == 2;
            QuantizedModel model = HardwareNetworks.Create(seed, ScheduleTests.FormatFor(pe, bits), pruned: skipping ? (p, l) : null);
            string directory = temp.Sub($"d{index++}");
            DesignWriter.Write(Schedule.Create(model, new AcceleratorConfig(pe, p, l, gating, Dataflow: dataflow, ZeroSkipping: skipping)), directory);
            var design = Design.Load(directory);
            ProcessResult lint = design.Lint();
            Assert.True(lint.ExitCode == 0 && lint.Error.Length == 0, lint.Error);
            Verification v = Verifier.Run(design, HardwareNetworks.Images(model, 10, seed), Simulator.Icarus, lint: false);
            Assert.True(v.Passed, $"{dataflow}{(skipping ? " skipping" : "")}: {pe} {bits} bits, P {p}, L {l}, gating {gating}: {v.Mismatches.Count} mismatches, counters {v.CountersMatch}");
        }, iter: 24, threads: 1);
    }

    [Fact]
    public void A_design_with_the_same_verilog_reuses_the_build_and_a_changed_file_builds_again()
    {
        using var temp = new TempDirectory();
        QuantizedModel model = SmallNetwork(PeKind.Bac);
        var config = new AcceleratorConfig(PeKind.Bac, 2, 2, ZeroGating: true);
        string builds = temp.Sub("builds");
        Verification Run(string name, Action<string>? edit = null)
        {
            string directory = temp.Sub(name);
            DesignWriter.Write(Schedule.Create(model, config), directory);
            edit?.Invoke(directory);
            Verification v = Verifier.Run(Design.Load(directory), HardwareNetworks.Images(model, 5, seed: 3), Simulator.Icarus, lint: false, reuse: builds);
            Assert.True(v.Passed, name);
            return v;
        }

        Assert.True(Run("first").BuildTime > TimeSpan.Zero);
        Assert.Equal(TimeSpan.Zero, Run("same").BuildTime);
        Assert.True(Run("edited", d => File.AppendAllText(Path.Combine(d, "rtl", "potnet_top.v"), "// edited\n")).BuildTime > TimeSpan.Zero);
        Assert.Equal(2, Directory.GetDirectories(builds).Length);
    }

    [Fact]
    public void ADesignThatFailsToBuildSaysSo()
    {
        using var temp = new TempDirectory();
        DesignWriter.Write(Schedule.Create(SmallNetwork(PeKind.Bac), new AcceleratorConfig(PeKind.Bac, 2, 2)), temp.Path);
        File.AppendAllText(Path.Combine(temp.Path, "rtl", "potnet_top.v"), "module broken (;\n");
        var design = Design.Load(temp.Path);
        var error = Assert.Throws<PotNetException>(() => design.Build(Simulator.Icarus));
        Assert.StartsWith($"the design in {temp.Path} failed to build with icarus (exit code ", error.Message, StringComparison.Ordinal);
        Assert.Contains("potnet_top.v", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A conv-pool-conv-pool-dense-dense network on 12x12 inputs, 4-bit weights of the PE's family.</summary>
    internal static QuantizedModel SmallNetwork(PeKind pe)
    {
        for (int seed = 0; ; seed++)
        {
            QuantizedModel model = HardwareNetworks.Create(seed, ScheduleTests.FormatFor(pe, 4), side: 12);
            if (model.Layers.OfType<Conv2d>().Count() == 2 && model.Layers.OfType<Pool2d>().Count() == 2 && model.Layers.OfType<Dense>().Count() == 2)
            {
                return model;
            }
        }
    }

    private Verification Verify(QuantizedModel model, AcceleratorConfig config, string directory, Simulator simulator, int images)
    {
        DesignWriter.Write(Schedule.Create(model, config), directory);
        Verification v = Verifier.Run(Design.Load(directory), HardwareNetworks.Images(model, images, seed: 7), simulator);
        output.WriteLine($"{config}: {v.Images} images, {v.Mismatches.Count} mismatches, {v.PredictedCycles} cycles/inference, build {v.BuildTime.TotalSeconds:F1} s");
        foreach (var item in v.Measured.Items.Zip(v.Predicted.Items)) output.WriteLine($"  {item.First.Key}: {item.First.Value} (model {item.Second.Value})");
        Assert.Empty(v.Mismatches);
        Assert.Equal(0, v.CycleMismatches);
        Assert.Equal(v.Predicted, v.Measured);
        Assert.False(v.FrameError);
        return v;
    }
}
