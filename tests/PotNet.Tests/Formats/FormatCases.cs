using PotNet.Formats;

namespace PotNet.Tests.Formats;

/// <summary>Theory data for every format kind and width, as (kind, bits) so that each case is its own test.</summary>
public static class FormatCases
{
    public static TheoryData<FormatKind, int> All()
    {
        var data = new TheoryData<FormatKind, int>();
        foreach (FormatKind kind in Enum.GetValues<FormatKind>())
        {
            for (int bits = WeightFormat.MinBits; bits <= WeightFormat.MaxBits; bits++)
            {
                data.Add(kind, bits);
            }
        }

        return data;
    }

    public static WeightFormat Create(FormatKind kind, int bits) => kind switch
    {
        FormatKind.Pot => WeightFormat.Pot(bits),
        FormatKind.Uniform => WeightFormat.Uniform(bits),
        FormatKind.Apot => WeightFormat.Apot(bits),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The non-negative levels, ascending: index 0 is zero.</summary>
    public static Int128[] Magnitudes(WeightFormat format) => format.Levels.Where(l => l >= 0).ToArray();
}
