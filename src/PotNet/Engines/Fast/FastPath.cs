using System.Numerics;
using System.Runtime.Intrinsics.X86;

namespace PotNet.Engines;

/// <summary>The instruction sets a <see cref="FastEngine"/> can compute its dot products with.</summary>
public enum FastPath
{
    /// <summary>The best path this CPU supports, chosen at run time.</summary>
    Auto,

    /// <summary>
    /// AVX-512BW, 512-bit vectors: u8 x s8 quads with <c>vpmaddubsw</c> + <c>vpmaddwd</c> where every
    /// pair's sum provably fits int16, otherwise int16 pairs with <c>vpmaddwd</c>.
    /// </summary>
    Avx512,

    /// <summary>AVX-VNNI, 256-bit vectors: u8 x s8 quads with <c>vpdpbusd</c>, int16 pairs with <c>vpdpwssd</c>; both exact.</summary>
    AvxVnni,

    /// <summary>AVX2, 256-bit vectors: the same kernels as <see cref="Avx512"/> at half the width.</summary>
    Avx2,

    /// <summary>Portable <see cref="Vector{T}"/> of int32, whatever the hardware (no widening dot products).</summary>
    Vector,

    /// <summary>Plain scalar loops over the same packed layout.</summary>
    Scalar,
}

/// <summary>Which <see cref="FastPath"/>s this CPU and runtime support.</summary>
public static class FastPaths
{
    /// <summary>The paths in order of preference, fastest first.</summary>
    public static IReadOnlyList<FastPath> Preference { get; } = [FastPath.Avx512, FastPath.AvxVnni, FastPath.Avx2, FastPath.Vector, FastPath.Scalar];

    /// <summary>True when <paramref name="path"/> can run here; <see cref="FastPath.Vector"/> and <see cref="FastPath.Scalar"/> always can.</summary>
    public static bool IsSupported(FastPath path) => path switch
    {
        FastPath.Auto or FastPath.Vector or FastPath.Scalar => true,
        FastPath.Avx512 => Avx512BW.IsSupported,
        FastPath.AvxVnni => AvxVnni.IsSupported,
        FastPath.Avx2 => Avx2.IsSupported,
        _ => false,
    };

    /// <summary>The path <see cref="FastPath.Auto"/> stands for on this machine.</summary>
    public static FastPath Best => Preference.First(IsSupported);

    /// <summary>Resolves <see cref="FastPath.Auto"/>; refuses a path this CPU cannot run.</summary>
    public static FastPath Resolve(FastPath path)
    {
        if (path == FastPath.Auto) return Best;
        if (!IsSupported(path))
        {
            string supported = string.Join(", ", Preference.Where(IsSupported));
            throw new PotNetException($"FastEngine path {path} is not supported on this CPU (supported: {supported})");
        }

        return path;
    }
}
