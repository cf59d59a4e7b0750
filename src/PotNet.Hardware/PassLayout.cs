namespace PotNet.Hardware;

/// <summary>What the address unit needs of a pass: its window, the banks it reads and writes, and its tap table.</summary>
/// <param name="Window">The counters' view of the pass.</param>
/// <param name="Source">How the input lies in the source buffer's banks.</param>
/// <param name="Target">How the output lies in the other buffer's banks.</param>
/// <param name="Taps">The tap table, <c>[step * L + lane]</c>.</param>
internal sealed record PassLayout(PassWindow Window, BankLayout Source, BankLayout Target, Tap[] Taps);
