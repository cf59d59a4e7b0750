using System.Text;
using PotNet.Hardware.Power;
using PotNet.Hardware.Simulation;

namespace PotNet.Hardware.Tests.Power;

public sealed class CellLibraryTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Reads_the_OSU018_cells_with_area_leakage_and_functions()
    {
        CellLibrary library = CellLibrary.Load(CellLibrary.Osu018);
        LibraryCell nand = library.Cell("NAND2X1", "test");
        Assert.Equal(24, nand.Area);
        Assert.InRange(nand.LeakageWatts, 1e-12, 1e-9);
        Assert.Equal("(!(A B))", Assert.Single(nand.Outputs).Function);
        FlipFlop ff = library.Cell("DFFPOSX1", "test").State!;
        Assert.Equal("D", ff.NextState);
        Assert.Equal("CLK", ff.ClockedOn);
        Assert.NotNull(library.Cell("LATCH", "test").Unsupported);
        Assert.Equal(1.8, library.Voltage);
    }

    [Theory]
    [InlineData("(!(A B))", "(~(A & B))")]
    [InlineData("(!((A+B) C))", "(~((A | B) & C))")]
    [InlineData("((A^B)^C)", "((A ^ B) ^ C)")]
    [InlineData("(!((S A) + (!S B)))", "(~((S & A) | ((~S) & B)))")]
    [InlineData("A'", "(~A)")]
    public void Liberty_functions_become_Verilog(string function, string verilog) => Assert.Equal(verilog, CellModels.Expression(function));

    [Fact]
    public void A_malformed_function_is_named() =>
        Assert.Contains("'(A B'", Assert.Throws<PotNetException>(() => CellModels.Expression("(A B")).Message, StringComparison.Ordinal);

    /// <summary>Every combinational model PotNet writes equals the library's own Verilog model on every input (Icarus).</summary>
    [Fact]
    public void Combinational_models_equal_the_library_models_on_every_input()
    {
        CellLibrary library = CellLibrary.Load(CellLibrary.Osu018);
        string models = CellModels.Verilog(library);
        foreach (string name in library.Cells.Keys) models = models.Replace($"module {name} (", $"module ours_{name} (", StringComparison.Ordinal);
        File.WriteAllText(_temp.Sub("ours.v"), models);
        LibraryCell[] cells = [.. library.Cells.Values.Where(c => c.State is null && c.Unsupported is null)];
        var bench = new StringBuilder("module tb;\n    integer v, errors;\n");
        foreach (LibraryCell c in cells)
        {
            CellPin[] inputs = [.. c.Pins.Where(p => !p.Output)];
            bench.AppendLine($"    reg [{inputs.Length - 1}:0] in_{c.Name};");
            foreach (string side in new[] { "lib", "ours" })
            {
                foreach (CellPin o in c.Outputs) bench.AppendLine($"    wire {side}_{c.Name}_{o.Name};");
                string pins = string.Join(", ", inputs.Select((p, k) => $".{p.Name}(in_{c.Name}[{k}])").Concat(c.Outputs.Select(o => $".{o.Name}({side}_{c.Name}_{o.Name})")));
                bench.AppendLine($"    {(side == "lib" ? "" : "ours_")}{c.Name} u_{side}_{c.Name} ({pins});");
            }
        }

        bench.AppendLine("    initial begin\n        errors = 0;");
        foreach (LibraryCell c in cells)
        {
            int n = c.Pins.Count(p => !p.Output);
            bench.AppendLine($"        for (v = 0; v < {1 << n}; v = v + 1) begin in_{c.Name} = v; #1;");
            foreach (CellPin o in c.Outputs) bench.AppendLine($"            if (lib_{c.Name}_{o.Name} !== ours_{c.Name}_{o.Name}) begin errors = errors + 1; $display(\"differs: {c.Name}.{o.Name} at %0d\", v); end");
            bench.AppendLine("        end");
        }

        bench.AppendLine($"        $display(\"checked {cells.Length} cells, %0d errors\", errors);\n        $finish;\n    end\nendmodule");
        File.WriteAllText(_temp.Sub("tb.v"), bench.ToString());
        ProcessResult build = ProcessRunner.Run(_temp.Path, ["iverilog", "-g2005", "-o", "tb.vvp", "tb.v", "ours.v", "/usr/share/qflow/tech/osu018/osu018_stdcells.v"]);
        Assert.True(build.ExitCode == 0, build.Tail());
        ProcessResult run = ProcessRunner.Run(_temp.Path, ["vvp", "-n", "tb.vvp"]);
        Assert.Contains($"checked {cells.Length} cells, 0 errors", run.Output, StringComparison.Ordinal);
        Assert.True(cells.Length >= 20);
    }
}
