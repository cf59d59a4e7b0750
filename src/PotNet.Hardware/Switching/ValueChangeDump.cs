
namespace PotNet.Hardware.Switching;

/// <summary>
/// Counts the bit transitions in a VCD file (IEEE 1364 value change dump): for every variable, the
/// number of bits that changed at each value change, summed. Transitions to or from x/z (before
/// reset) are not counted.
/// </summary>
public static class ValueChangeDump
{
    /// <summary>Bit transitions per variable name (scope-qualified), leaving out the variables <paramref name="exclude"/> accepts.</summary>
    public static IReadOnlyDictionary<string, long> CountToggles(string path, Func<string, bool> exclude)
    {
        ArgumentNullException.ThrowIfNull(exclude);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var last = new Dictionary<string, string>(StringComparer.Ordinal);
        var toggles = new Dictionary<string, long>(StringComparer.Ordinal);
        var scopes = new List<string>();
        foreach (string raw in File.ReadLines(path))
        {
            string line = raw.Trim();
            if (line.Length == 0) continue;
            if (line.StartsWith("$scope", StringComparison.Ordinal))
            {
                scopes.Add(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2]);
            }
            else if (line.StartsWith("$upscope", StringComparison.Ordinal))
            {
                scopes.RemoveAt(scopes.Count - 1);
            }
            else if (line.StartsWith("$var", StringComparison.Ordinal))
            {
                // $var wire 8 ! x [7:0] $end
                string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                string name = string.Join('.', scopes.Append(parts[4]));
                if (!exclude(name)) names.TryAdd(parts[3], name);
            }
            else if (line[0] is '0' or '1' or 'x' or 'z' or 'X' or 'Z')
            {
                Change(line[1..], line[..1]);
            }
            else if (line[0] is 'b' or 'B')
            {
                int space = line.IndexOf(' ', StringComparison.Ordinal);
                Change(line[(space + 1)..], line[1..space]);
            }
        }

        return names.Values.Distinct().ToDictionary(n => n, n => toggles.GetValueOrDefault(n), StringComparer.Ordinal);

        void Change(string id, string value)
        {
            if (!names.TryGetValue(id, out string? name)) return;
            if (last.TryGetValue(id, out string? previous)) toggles[name] = toggles.GetValueOrDefault(name) + Flips(previous, value);
            last[id] = value;
        }
    }

    /// <summary>
    /// Bits that differ between two binary values. VCD shortens values on the left: a value is
    /// extended with its first digit when that is x or z, with 0 otherwise, so align them right.
    /// </summary>
    private static int Flips(string a, string b)
    {
        int width = Math.Max(a.Length, b.Length), flips = 0;
        for (int i = 0; i < width; i++)
        {
            char x = i < width - a.Length ? Extension(a) : a[i - (width - a.Length)];
            char y = i < width - b.Length ? Extension(b) : b[i - (width - b.Length)];
            if (x != y && x is '0' or '1' && y is '0' or '1') flips++;
        }

        return flips;
    }

    private static char Extension(string value) => value[0] is 'x' or 'X' or 'z' or 'Z' ? value[0] : '0';
}
