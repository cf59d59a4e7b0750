using PotNet.Cli.Reports;

namespace PotNet.Cli.Tests.Reports;

/// <summary>A small, plausible result set: the paper's comparison and a pruning curve.</summary>
internal static class SampleResults
{
    private static readonly string[] Tables = ["asic-45nm", "fpga-xcup"];

    public static ResultPoint Point(string weights, string pe, double accuracy, double energyPj, double sparsity = 0, string? pruning = null, string? mac = null)
    {
        var layers = new Dictionary<string, double> { ["conv1"] = energyPj * 0.3, ["conv2"] = energyPj * 0.5, ["fc1"] = energyPj * 0.2 };
        var components = new Dictionary<string, double> { ["pe"] = energyPj * 0.6, ["weight_rom"] = energyPj * 0.4 };
        var energy = Tables.Select((t, i) => new EnergyFigures(t, energyPj * (1 + 9 * i), energyPj * (1 + 9 * i), 0, layers, components)).ToArray();
        var design = new DesignFigures(pe, 4, 8, true, mac, 120_000, 1000, 0, new ResourceFigures(pe == "mac" ? 900 : 600, 800, 40, mac == "dsp" ? 4 : 0, 2.5, "Yosys 0.23"), energy);
        string id = $"lenet5/{weights}/{sparsity:0.00}/{pe}{(mac is null ? "" : "-" + mac)}";
        return new ResultPoint(id, "lenet5", "mnist", weights, sparsity, pruning, accuracy, 10_000, design);
    }

    public static ResultSet Create() => new(
        "PotNet: lenet5 on MNIST",
        "sweep-abc",
        [
            Point("uniform4", "mac", 0.991, 30_000, mac: "dsp"),
            Point("uniform4", "mac", 0.991, 36_000, mac: "lut"),
            Point("pot4", "bac", 0.990, 18_000),
            Point("apot4", "apot", 0.991, 22_000),
            Point("pot4", "bac", 0.989, 12_000, 0.5, "log"),
            Point("pot4", "bac", 0.985, 8_000, 0.8, "log"),
        ],
        new Dictionary<string, string> { ["accuracy"] = "ReferenceEngine on the MNIST test set", ["resources"] = "Yosys 0.23 estimates" });
}
