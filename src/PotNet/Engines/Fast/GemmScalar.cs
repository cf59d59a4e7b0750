namespace PotNet.Engines.Fast;

/// <summary>The scalar kernel over <see cref="UnitKind.Single"/> units: what every vector kernel computes, one lane at a time.</summary>
internal static class GemmScalar
{
    /// <summary>Writes the sums into <paramref name="sums"/>, rows of <paramref name="stride"/> ints.</summary>
    public static void Run(in GemmArgs args, Span<int> sums, int stride)
    {
        for (int p = 0; p < args.Positions; p++)
        {
            ReadOnlySpan<int> x = args.Columns.Slice(p * args.Units, args.Units);
            for (int co = 0; co < args.Width; co++)
            {
                int acc = args.Bias[co];
                for (int u = 0; u < x.Length; u++)
                {
                    acc += x[args.RowUnits[co * args.Units + u]] * args.Weights[PackedWeights.Index(u, co, args.Units, lanes: 1)];
                }

                sums[p * stride + co] = acc;
            }
        }
    }
}
