using System.Globalization;
using System.Numerics;

namespace PotNet.Hardware.Verilog;

/// <summary>Verilog literals and ranges, sized so that lint finds no width mismatch.</summary>
internal static class VerilogLiteral
{
    /// <summary><c>[width-1:0] </c>, even for one bit, so that bit 0 of any vector can be selected.</summary>
    public static string Range(int width) => $"[{width - 1}:0] ";

    /// <summary>A sized hexadecimal constant, <c>width'hvalue</c>; negative values are taken modulo 2^width.</summary>
    public static string Sized(int width, BigInteger value) => $"{width}'h{Hex(width, value)}";

    /// <summary>The hexadecimal digits of <paramref name="value"/> modulo 2^width, zero-padded to the width.</summary>
    public static string Hex(int width, BigInteger value)
    {
        string digits = Modulo(value, width).ToString("x", CultureInfo.InvariantCulture).TrimStart('0');
        return digits.PadLeft((width + 3) / 4, '0');
    }

    /// <summary><paramref name="value"/> modulo 2^width, in [0, 2^width): its two's complement bits.</summary>
    public static BigInteger Modulo(BigInteger value, int width)
    {
        BigInteger modulus = BigInteger.One << width;
        return ((value % modulus) + modulus) % modulus;
    }

    /// <summary>A plain decimal integer (for parameters).</summary>
    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A string literal.</summary>
    public static string String(string value) => $"\"{value}\"";
}
