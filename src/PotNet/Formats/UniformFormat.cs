namespace PotNet.Formats;

/// <summary>
/// uniform(b): the code is w_int in b-bit two's complement, w_int in
/// [-(2^(b-1) - 1), 2^(b-1) - 1]. The code of -2^(b-1) is unused so that the level set is
/// symmetric, like the other formats', and 2^b - 1 levels remain: uniform3 is -3 .. 3.
/// The zero code is 0.
/// </summary>
public sealed class UniformFormat : WeightFormat
{
    internal UniformFormat(int bits)
        : base(FormatKind.Uniform, bits, code => Level(bits, code))
    {
    }

    private static Int128? Level(int bits, int code)
    {
        int half = 1 << (bits - 1);
        int value = code >= half ? code - (2 * half) : code;
        return value == -half ? null : value;
    }
}
