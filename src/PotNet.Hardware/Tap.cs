namespace PotNet.Hardware;

/// <summary>
/// One lane's entry of a pass's tap table, the same for every output position: the tap's kernel row
/// and column (<see cref="Ky"/>, <see cref="Kx"/>), its bank, and its in-bank address relative to the
/// in-bank address of the window's corner (oy*stride, ox*stride), whose origin in the input is
/// (oy*stride - padding, ox*stride - padding).
/// The offset may be negative; the ROM holds it modulo 2^BW, which gives the true address for every
/// tap inside the map, the only ones read.
/// </summary>
/// <param name="Valid">False for a lane beyond the fan-in (or window): idle.</param>
/// <param name="Ky">Kernel row of the tap: it reads input row oy*stride - padding + Ky.</param>
/// <param name="Kx">Kernel column of the tap, likewise.</param>
/// <param name="Bank">The tap's bank (a convolution's input channel mod P; 0 for a pool, whose bank is its channel's).</param>
/// <param name="Offset">In-bank address of the tap minus that of the window's corner.</param>
public readonly record struct Tap(bool Valid, int Ky, int Kx, int Bank, int Offset)
{
    /// <summary>The entry of an idle lane.</summary>
    public static Tap Idle => new(false, 0, 0, 0, 0);
}
