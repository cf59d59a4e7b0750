namespace PotNet.Hardware.Generation;

/// <summary>What <c>manifest.json</c> records about a generated design.</summary>
public sealed record DesignManifest
{
    /// <summary>The manifest's format name.</summary>
    public const string FormatName = "potnet-hw";

    /// <summary>Always <see cref="FormatName"/>.</summary>
    public string Format { get; init; } = FormatName;

    /// <summary>The manifest version this code writes and reads (3: with the dataflow).</summary>
    public const int CurrentVersion = 3;

    /// <summary>Manifest version.</summary>
    public int Version { get; init; } = CurrentVersion;

    /// <summary>The model's file in the design directory.</summary>
    public required string Model { get; init; }

    /// <summary>SHA-256 of that file, hex.</summary>
    public required string ModelSha256 { get; init; }

    /// <summary>bac, mac or apot.</summary>
    public required string Pe { get; init; }

    /// <summary>The dataflow: stream or rowbuffer.</summary>
    public required string Dataflow { get; init; }

    /// <summary>P.</summary>
    public required int Parallel { get; init; }

    /// <summary>L.</summary>
    public required int Lanes { get; init; }

    /// <summary>Whether zero weights gate their lanes.</summary>
    public required bool ZeroGating { get; init; }

    /// <summary>Whether steps whose codes are all zero are skipped (absent in manifests written before zero skipping: off).</summary>
    public bool ZeroSkipping { get; init; }

    /// <summary>dsp or lut for a MAC design; null otherwise.</summary>
    public string? MacMultiplier { get; init; }

    /// <summary>The weights' format, such as pot4.</summary>
    public required string WeightFormat { get; init; }

    /// <summary>Bytes per input image.</summary>
    public required int InputSize { get; init; }

    /// <summary>Logits per inference.</summary>
    public required int Outputs { get; init; }

    /// <summary>Data and index widths, by the RTL's parameter names.</summary>
    public required IReadOnlyDictionary<string, int> Widths { get; init; }

    /// <summary>The activation memories, which hold both buffers (buffer 0 takes the input).</summary>
    public required ActivationMemories Activations { get; init; }

    /// <summary>The row buffer and the lanes' weight register files (<see cref="DataflowKind.RowBuffer"/>; null otherwise).</summary>
    public LocalStorage? Local { get; init; }

    /// <summary>ROM words and widths: params (per PE); weights (per PE, or per lane of each PE); taps (stream).</summary>
    public required IReadOnlyDictionary<string, RomShape> Roms { get; init; }

    /// <summary>The passes in order.</summary>
    public required IReadOnlyList<PassSummary> Passes { get; init; }

    /// <summary>Weight and activation fetches per inference against what the model stores.</summary>
    public required Energy.Reuse Reuse { get; init; }

    /// <summary>The cycle model's counts for one inference.</summary>
    public required IReadOnlyDictionary<string, long> Predicted { get; init; }

    /// <summary>Verilog sources of the design (lint and synthesis), relative to the directory.</summary>
    public required IReadOnlyList<string> Sources { get; init; }

    /// <summary>The testbench's sources.</summary>
    public required IReadOnlyList<string> TestbenchSources { get; init; }
}

/// <summary>A ROM's size.</summary>
/// <param name="Count">How many such ROMs (one per PE for weights and parameters).</param>
/// <param name="Words">Words used.</param>
/// <param name="Width">Bits per word.</param>
/// <param name="IndexWidth">Address bits (the ROM has 2^IndexWidth words).</param>
public sealed record RomShape(int Count, int Words, int Width, int IndexWidth)
{
    /// <summary>
    /// The ROMs of a design: "params" (one per PE) and "weights": one per PE, L codes a word, and
    /// "taps" (one) in <see cref="DataflowKind.Stream"/>; in <see cref="DataflowKind.RowBuffer"/> "weights"
    /// one per lane of each PE, "pe_weights" (the passes whose lanes are columns) one per PE, a code a word,
    /// and "tap_index" (one; a word per step of the zero-skipping passes).
    /// </summary>
    public static IReadOnlyDictionary<string, RomShape> Of(Schedule s)
    {
        ArgumentNullException.ThrowIfNull(s);
        AcceleratorConfig c = s.Config;
        var roms = new SortedDictionary<string, RomShape>(StringComparer.Ordinal)
        {
            ["params"] = new(c.Parallel, s.ParamDepth, s.AccumulatorWidth + 8, s.ParamIndexWidth),
        };
        switch (c.Dataflow)
        {
            case DataflowKind.Stream:
                roms["taps"] = new(1, s.TapDepth, c.Lanes * RomImages.TapLaneWidth(s), s.TapIndexWidth);
                roms["weights"] = new(c.Parallel, s.WeightDepth, c.Lanes * s.Format.Bits, s.WeightIndexWidth);
                break;
            case DataflowKind.RowBuffer:
                roms["weights"] = new(c.Parallel * c.Lanes, s.WeightDepth, s.Format.Bits, s.WeightIndexWidth);
                roms["pe_weights"] = new(c.Parallel, Math.Max(1, s.PeWeightDepth), s.Format.Bits, s.WeightIndexWidth);
                roms["tap_index"] = new(1, Math.Max(1, s.TapIndexDepth), TapIndexFields.Width(s), s.TapIndexAddressWidth);
                break;
        }

        return roms;
    }

    /// <summary>Bytes of one such ROM, as its words use them.</summary>
    public long Bytes => ((long)Words * Width + 7) / 8;
}

/// <summary>
/// The activation memories: P banks of L copies each (<see cref="DataflowKind.Stream"/>; one copy in
/// <see cref="DataflowKind.RowBuffer"/>), every copy a byte-wide memory of one write and one read port
/// whose two halves are the two ping-pong buffers.
/// </summary>
/// <param name="Banks">Banks (P).</param>
/// <param name="Copies">Copies of each bank, one per lane (L).</param>
/// <param name="Words">Bytes used of the fullest bank of buffer 0 and of buffer 1 (each half has 2^(IndexWidth-1) bytes).</param>
/// <param name="IndexWidth">Address bits of one memory: the buffer, then the in-bank address.</param>
public sealed record ActivationMemories(int Banks, int Copies, IReadOnlyList<int> Words, int IndexWidth)
{
    /// <summary>The design's activation memories.</summary>
    public static ActivationMemories Of(Schedule s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.Config.Parallel, CycleModel.Copies(s.Config), s.BufferDepths, s.BankAddressWidth + 1);
    }

    /// <summary>Memories (banks x copies).</summary>
    public int Count => Banks * Copies;

    /// <summary>Bytes used of one memory (both halves).</summary>
    public int Bytes => Words.Sum();
}

/// <summary>The row-buffer dataflow's local storage.</summary>
/// <param name="RowBufferBanks">Row-buffer banks (P).</param>
/// <param name="RowBufferBytes">Bytes used of the fullest bank (each bank has 2^RBW).</param>
/// <param name="WeightRegisterFiles">Weight register files, one per PE (P).</param>
/// <param name="WeightRegisterCodes">Codes each holds (the most groups x steps of a convolution whose lanes are columns).</param>
public sealed record LocalStorage(int RowBufferBanks, int RowBufferBytes, int WeightRegisterFiles, int WeightRegisterCodes)
{
    /// <summary>The local storage of <paramref name="s"/>'s design, or null when its dataflow has none.</summary>
    public static LocalStorage? Of(Schedule s)
    {
        ArgumentNullException.ThrowIfNull(s);
        AcceleratorConfig c = s.Config;
        return c.Dataflow switch
        {
            DataflowKind.Stream => null,
            DataflowKind.RowBuffer => new(c.Parallel, RowBufferDataflow.Depth(s), c.Parallel, RowBufferDataflow.RegisterDepth(s)),
        };
    }
}

/// <summary>One pass, for readers of the manifest.</summary>
/// <param name="Layer">The layer's name.</param>
/// <param name="Kind">hidden, logits, maxpool or avgpool.</param>
/// <param name="Positions">Output positions.</param>
/// <param name="Groups">Groups of P channels.</param>
/// <param name="Steps">Steps of L lanes per group.</param>
/// <param name="Cycles">Its cycles in the cycle model: issue cycles, the row loads (rowbuffer) and the drain.</param>
public sealed record PassSummary(string Layer, string Kind, int Positions, int Groups, int Steps, long Cycles);
