using System.Collections.ObjectModel;

namespace PotNet.Formats;

/// <summary>
/// The code table of one format, built once from the format's decoding rule. Every format has
/// at most 256 codes, so tables are cheaper and easier to trust than per-call bit arithmetic,
/// and they let encoding, validation and quantisation be written once for all formats.
/// </summary>
internal sealed class CodeBook
{
    private readonly string formatName;
    private readonly Int128[] levelOfCode;
    private readonly bool[] isValid;
    private readonly Int128[] levels;
    private readonly byte[] codeOfLevel;

    /// <param name="formatName">Used in error messages only.</param>
    /// <param name="bits">The code width; codes are 0 .. 2^bits - 1.</param>
    /// <param name="rule">The level of a code, or null for an unused code.</param>
    public CodeBook(string formatName, int bits, Func<int, Int128?> rule)
    {
        this.formatName = formatName;
        int count = 1 << bits;
        levelOfCode = new Int128[count];
        isValid = new bool[count];
        var pairs = new List<(Int128 Level, byte Code)>(count);
        for (int code = 0; code < count; code++)
        {
            if (rule(code) is Int128 level)
            {
                levelOfCode[code] = level;
                isValid[code] = true;
                pairs.Add((level, (byte)code));
            }
        }

        pairs.Sort((a, b) => a.Level.CompareTo(b.Level));
        levels = pairs.Select(p => p.Level).ToArray();
        codeOfLevel = pairs.Select(p => p.Code).ToArray();

        // A format whose rule gives two codes one level would make Encode ambiguous, and the
        // quantiser assumes a symmetric set around zero; both are bugs in a rule, so fail loudly.
        for (int i = 1; i < levels.Length; i++)
        {
            if (levels[i] == levels[i - 1])
            {
                throw new InvalidOperationException($"{formatName}: two codes decode to level {levels[i]}.");
            }
        }

        int zero = Array.BinarySearch(levels, Int128.Zero);
        if (zero < 0)
        {
            throw new InvalidOperationException($"{formatName}: no code decodes to level 0.");
        }

        ZeroCode = codeOfLevel[zero];
        for (int i = 0; i < levels.Length; i++)
        {
            if (levels[i] != -levels[levels.Length - 1 - i])
            {
                throw new InvalidOperationException($"{formatName}: the level set is not symmetric around 0.");
            }
        }

        Levels = Array.AsReadOnly(levels);
    }

    public byte ZeroCode { get; }

    /// <summary>Every level, ascending.</summary>
    public ReadOnlyCollection<Int128> Levels { get; }

    public bool IsValid(int code) => (uint)code < (uint)isValid.Length && isValid[code];

    public void RequireValid(int code)
    {
        if (!IsValid(code))
        {
            throw new ArgumentOutOfRangeException(
                nameof(code), code, $"{code} is not a valid {formatName} code (valid: 0 .. {isValid.Length - 1}, except unused codes).");
        }
    }

    public Int128 Decode(int code)
    {
        RequireValid(code);
        return levelOfCode[code];
    }

    public byte Encode(Int128 level)
    {
        int index = Array.BinarySearch(levels, level);
        if (index < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, $"{level} is not a level of {formatName}.");
        }

        return codeOfLevel[index];
    }
}
