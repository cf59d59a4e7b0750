using System.Text.RegularExpressions;
using PotNet.Hardware.Generation;

namespace PotNet.Hardware.Tests;

/// <summary>
/// The C#-RTL contracts are declared once in C# (<see cref="EventCounts.Counters"/>,
/// <see cref="PassTableFields"/>, <see cref="RtlWidths"/>); these tests hold each dataflow's hand-written core to them.
/// </summary>
public partial class ContractTests
{
    public static TheoryData<DataflowKind> Dataflows => [.. Enum.GetValues<DataflowKind>()];

    private static string Core(DataflowKind dataflow) => RtlLibrary.Read(RtlLibrary.Core(dataflow));

    [Theory]
    [MemberData(nameof(Dataflows))]
    public void TheCoreCountsExactlyTheDeclaredCounters(DataflowKind dataflow)
    {
        string[] registers = [.. CounterRegister().Matches(Core(dataflow)).Select(m => m.Groups[1].Value).Distinct()];
        Assert.Equal(EventCounts.Of(dataflow).Select(c => c.Register).Order(StringComparer.Ordinal), registers.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Dataflows))]
    public void TheCounterDumpPrintsEveryCounterOnceInOrder(DataflowKind dataflow)
    {
        string[] lines = [.. CounterDumpGenerator.Create(dataflow).Split('\n').Where(l => l.StartsWith("$fwrite", StringComparison.Ordinal))];
        IReadOnlyList<EventCounter> counters = EventCounts.Of(dataflow);
        Assert.Equal(counters.Count, lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            Assert.Contains($"\"counter {counters[i].Name} %0d\\n\"", lines[i], StringComparison.Ordinal);
            Assert.EndsWith($"dut.u_core.ev_{counters[i].Name});", lines[i], StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Dataflows))]
    public void TheCoreDeclaresExactlyItsPassTableFieldsAsInputsOfTheirWidths(DataflowKind dataflow)
    {
        string core = Core(dataflow);
        foreach (PassTableField field in PassTableFields.All)
        {
            Match m = Regex.Match(core, $@"input\s+wire\s+(\[[^\]]*\])?\s*{field.Name}\s*,");
            Assert.Equal(field.Dataflows.Contains(dataflow), m.Success);
            if (!m.Success) continue;
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
    public void TheRowBufferCoreDeclaresTheTapIndexFieldsAsInputsOfTheirWidths()
    {
        string core = Core(DataflowKind.RowBuffer);
        foreach (TapIndexField field in TapIndexFields.All)
        {
            Match m = Regex.Match(core, $@"input\s+wire\s+(\[[^\]]*\])?\s*{field.Name}\s*,");
            Assert.True(m.Success, field.Name);
            Assert.Equal(field.Width == "1" ? "" : $"[{field.Width}-1:0]", m.Groups[1].Value);
            Assert.Contains(RtlWidths.Core(DataflowKind.RowBuffer), w => field.Width == "1" || w.Name == field.Width);
        }
    }

    [Theory]
    [MemberData(nameof(Dataflows))]
    public void TheCoreTakesExactlyItsWidthParametersAndEveryPassFieldWidthIsMadeOfThem(DataflowKind dataflow)
    {
        foreach (RtlWidth width in RtlWidths.All)
        {
            bool declared = Regex.IsMatch(Core(dataflow), $@"parameter\s+{width.Name}\s*=");
            Assert.Equal(width.Cores.Contains(dataflow), declared);
        }

        foreach (PassTableField field in PassTableFields.Of(dataflow))
        {
            foreach (string factor in field.Width.Split('*').Where(f => !int.TryParse(f, out _) && f is not "P" and not "L"))
            {
                Assert.Contains(RtlWidths.Core(dataflow), w => w.Name == factor);
            }
        }
    }

    [GeneratedRegex(@"\b(ev_[a-z_]+)\b")]
    private static partial Regex CounterRegister();
}
