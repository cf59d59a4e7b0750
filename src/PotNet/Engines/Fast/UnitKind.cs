namespace PotNet.Engines.Fast;

/// <summary>
/// How a layer's weights and im2col activations are packed into 32-bit units, the element every
/// kernel broadcasts: one unit holds the products of consecutive reduction indices that one
/// instruction sums exactly.
/// </summary>
internal enum UnitKind
{
    /// <summary>Four u8 activations against four s8 weights (<c>vpdpbusd</c>, or <c>vpmaddubsw</c> + <c>vpmaddwd</c>).</summary>
    Quad = 4,

    /// <summary>Two int16 activations against two int16 weights (<c>vpmaddwd</c>, <c>vpdpwssd</c>).</summary>
    Pair = 2,

    /// <summary>One int32 activation against one int32 weight (<c>vpmulld</c>, or scalar); products wrap as the reference's do.</summary>
    Single = 1,
}
