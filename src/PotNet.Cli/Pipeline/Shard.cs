using System.Globalization;

namespace PotNet.Cli.Pipeline;

/// <summary>
/// One slice of a sweep, <c>--shard i/n</c> (1 &lt;= i &lt;= n): points whose index is i-1 modulo n, so
/// that n batch jobs (a Slurm array, say) together run every point exactly once.
/// </summary>
internal readonly record struct Shard(int Index, int Count)
{
    /// <summary>The whole sweep.</summary>
    public static Shard All => new(1, 1);

    /// <summary>Parses "i/n".</summary>
    public static Shard Parse(string text)
    {
        string[] parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            && n >= 1 && i >= 1 && i <= n)
        {
            return new Shard(i, n);
        }

        throw new PotNetException($"--shard: '{text}' is not i/n with 1 <= i <= n (e.g. 3/8)");
    }

    /// <summary>The points of this shard, in order.</summary>
    public IEnumerable<T> Select<T>(IEnumerable<T> points)
    {
        int index = Index - 1, count = Count;
        return points.Where((_, k) => k % count == index);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Index}/{Count}";
}
