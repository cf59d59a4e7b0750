using System.Text.RegularExpressions;
using PotNet.Hardware.Generation;

namespace PotNet.Hardware.Tests;

/// <summary>
/// The C#-RTL contracts are declared once in C# (<see cref="EventCounts.Counters"/>,
/// <see cref="PassTableFields"/>, <see cref="RtlWidths"/>); these tests hold the hand-written core to them.
/// </summary>
public partial class ContractTests
{
    private static readonly string Core = RtlLibrary.Read("potnet_core.v");

    [Fact]
    public void TheCoreCountsExactlyTheDeclaredCounters()
    {
        string[] registers = [.. CounterRegister().Matches(Core).Select(m => m.Groups[1].Value).Distinct()];
        Assert.Equal(EventCounts.Counters.Select(c => c.Register).Order(StringComparer.Ordinal), registers.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheCounterDumpPrintsEveryCounterOnceInOrder()
    {
        string[] lines = [.. CounterDumpGenerator.Create().Split('\n').Where(l => l.StartsWith("$fwrite", StringComparison.Ordinal))];
        Assert.Equal(EventCounts.Names.Count, lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            Assert.Contains($"\"counter {EventCounts.Names[i]} %0d\\n\"", lines[i], StringComparison.Ordinal);
            Assert.EndsWith($"dut.u_core.ev_{EventCounts.Names[i]});", lines[i], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheCoreDeclaresEveryPassTableFieldAsAnInputOfItsWidth()
    {
        foreach (PassTableField field in PassTableFields.All)
        {
            Match m = Regex.Match(Core, $@"input\s+wire\s+(\[[^\]]*\])?\s*{field.Name}\s*,");
            Assert.True(m.Success, $"potnet_core.v declares no input {field.Name}");
            string expected = field.Width switch
            {
                "1" => "",
                _ when int.TryParse(field.Width, out int bits) => $"[{bits - 1}:0]",
                _ => $"[{field.Width}-1:0]",
            };
            Assert.Equal(expected, m.Groups[1].Value);
        }
    }

    [Fact]
    public void TheCoreTakesEveryCoreWidthParameterAndEveryPassFieldWidthIsOne()
    {
        foreach (RtlWidth width in RtlWidths.All)
        {
            bool declared = Regex.IsMatch(Core, $@"parameter\s+{width.Name}\s*=");
            Assert.Equal(width.InCore, declared);
        }

        foreach (PassTableField field in PassTableFields.All.Where(f => !int.TryParse(f.Width, out _)))
        {
            Assert.Contains(RtlWidths.All, w => w.InCore && w.Name == field.Width);
        }
    }

    [GeneratedRegex(@"\b(ev_[a-z_]+)\b")]
    private static partial Regex CounterRegister();
}
