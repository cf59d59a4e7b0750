namespace PotNet.Hardware;

/// <summary>
/// One lane's entry of a pass's tap table, the same for every output position: the tap's offset from
/// the window's corner, (<see cref="Dy"/>, <see cref="Dx"/>) = (ky - padding, kx - padding), its bank,
/// and its in-bank address relative to the in-bank address of that corner, (oy*stride, ox*stride).
/// The offset may be negative; the ROM holds it modulo 2^BW, which gives the true address for every
/// tap inside the map, the only ones read.
/// </summary>
/// <param name="Valid">False for a lane beyond the fan-in (or window): idle.</param>
/// <param name="Dy">Row of the tap relative to the window's corner at (oy*stride, ox*stride).</param>
/// <param name="Dx">Column of the tap, likewise.</param>
/// <param name="Bank">The tap's bank (a convolution's input channel mod P; 0 for a pool, whose bank is its channel's).</param>
/// <param name="Offset">In-bank address of the tap minus that of the window's corner.</param>
public readonly record struct Tap(bool Valid, int Dy, int Dx, int Bank, int Offset)
{
    /// <summary>The entry of an idle lane.</summary>
    public static Tap Idle => new(false, 0, 0, 0, 0);
}
