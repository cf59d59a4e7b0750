namespace PotNet.Formats;

/// <summary>How a real weight, already in level units, is rounded to a level of a <see cref="WeightFormat"/>.</summary>
/// <remarks>
/// Both modes send ties to the smaller magnitude and saturate at the largest magnitude; see
/// <see cref="WeightFormat.Quantize(double, Rounding)"/> for the exact rule.
/// </remarks>
public enum Rounding
{
    /// <summary>The level nearest in the linear domain (the default).</summary>
    Nearest,

    /// <summary>
    /// The nonzero level nearest in the log2 domain (rounding log2|w|, as QKeras and DeepShift do);
    /// values up to half the smallest nonzero magnitude go to zero.
    /// </summary>
    Log,
}

/// <summary>The names of the rounding modes in files and on the command line: <c>nearest</c>, <c>log</c>.</summary>
public static class RoundingNames
{
    /// <summary>The mode's name.</summary>
    public static string Name(this Rounding rounding) => rounding == Rounding.Log ? "log" : "nearest";

    /// <summary>The mode of a name, or null if the name is neither.</summary>
    public static Rounding? Parse(string? name) => name switch
    {
        "nearest" => Rounding.Nearest,
        "log" => Rounding.Log,
        _ => null,
    };
}
