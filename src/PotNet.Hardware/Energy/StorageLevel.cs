namespace PotNet.Hardware.Energy;

/// <summary>
/// One storage level of a design's dataflow, as the energy model prices it: which counter counts its
/// accesses, what one access moves and how large the memory is.
/// </summary>
/// <param name="Component">The report's component (<see cref="DesignEvents"/>' names).</param>
/// <param name="Kind"><see cref="EventKind.MemoryRead"/> or <see cref="EventKind.MemoryWrite"/>.</param>
/// <param name="Bits">Bits moved per access.</param>
/// <param name="MemoryBytes">The memory's size in bytes (the bytes its words use).</param>
/// <param name="Count">Its accesses in a set of counts.</param>
public sealed record StorageLevel(string Component, EventKind Kind, int Bits, long MemoryBytes, Func<EventCounts, long> Count);
