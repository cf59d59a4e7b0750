namespace PotNet.Hardware;

/// <summary>One step a pass issues: output position, group of P output channels, step of L taps.</summary>
/// <param name="Position">The output position (a pool's: every output element).</param>
/// <param name="Group">The group of P output channels (0 for a pool).</param>
/// <param name="Step">The step of L taps within the group.</param>
public readonly record struct Issue(int Position, int Group, int Step);
