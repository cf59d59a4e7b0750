namespace PotNet.Model;

/// <summary>
/// The geometry of a weighted layer, as a 2-D convolution (square stride, symmetric zero padding) in
/// <see cref="Groups"/> groups: the input and output channels are cut into that many equal, consecutive
/// slices, and output channel <c>co</c> reads only the input channels of its group
/// <c>co / (OutChannels / Groups)</c> (groups = 1: every input channel; groups = in_channels: a depthwise
/// convolution). A dense layer is the convolution with a 1x1 kernel over a 1x1 input, so every engine
/// implements one loop nest for both.
/// </summary>
public sealed record ConvGeometry(int InChannels, int OutChannels, int KernelHeight, int KernelWidth, int Stride, int Padding, int Groups = 1)
{
    /// <summary>The geometry of a dense layer with the given feature counts.</summary>
    public static ConvGeometry Dense(int inFeatures, int outFeatures) => new(inFeatures, outFeatures, 1, 1, 1, 0);

    /// <summary>Input channels each output channel reads: InChannels / Groups.</summary>
    public int InChannelsPerGroup => InChannels / Groups;

    /// <summary>Output channels of each group: OutChannels / Groups.</summary>
    public int OutChannelsPerGroup => OutChannels / Groups;

    /// <summary>Products summed into one output: InChannelsPerGroup x KernelHeight x KernelWidth.</summary>
    public int FanIn => InChannelsPerGroup * KernelHeight * KernelWidth;

    /// <summary>The group of output channel <paramref name="outChannel"/>.</summary>
    public int GroupOf(int outChannel) => outChannel / OutChannelsPerGroup;

    /// <summary>
    /// The input channel that fan-in index <paramref name="k"/> of group <paramref name="group"/> reads
    /// (the fan-in is channel-major within the group's input channels).
    /// </summary>
    public int InputChannelOf(int group, int k) => group * InChannelsPerGroup + k / (KernelHeight * KernelWidth);

    /// <summary>Shape of the weight tensor: [OutChannels, InChannelsPerGroup, KernelHeight, KernelWidth] (PyTorch's and ONNX's).</summary>
    public int[] WeightShape => [OutChannels, InChannelsPerGroup, KernelHeight, KernelWidth];

    /// <summary>Checks the numbers are in range; <paramref name="fail"/> builds the error for a field.</summary>
    internal void Validate(Func<string, string, PotNetException> fail)
    {
        if (InChannels < 1) throw fail("in_channels", $"{InChannels} must be at least 1");
        if (OutChannels < 1) throw fail("out_channels", $"{OutChannels} must be at least 1");
        if (KernelHeight < 1 || KernelWidth < 1) throw fail("kernel", $"{KernelHeight}x{KernelWidth} must be at least 1x1");
        if (Stride < 1) throw fail("stride", $"{Stride} must be at least 1");
        if (Padding < 0) throw fail("padding", $"{Padding} must not be negative");
        if (Groups < 1) throw fail("groups", $"{Groups} must be at least 1");
        if (InChannels % Groups != 0) throw fail("groups", $"{Groups} does not divide in_channels {InChannels}");
        if (OutChannels % Groups != 0) throw fail("groups", $"{Groups} does not divide out_channels {OutChannels}");
        if ((long)OutChannels * FanIn > 1 << 28) throw fail("weights", "more than 2^28 weights in one layer");
    }

    /// <summary>Output shape for <paramref name="input"/>; the fail callback names the field at fault.</summary>
    internal Shape OutputShape(Shape input, Func<string, string, PotNetException> fail)
    {
        if (input.Channels != InChannels)
        {
            throw fail("in_channels", $"{InChannels} does not match the input's {input.Channels} channels (input {input})");
        }

        int height = (input.Height + 2 * Padding - KernelHeight) / Stride + 1;
        int width = (input.Width + 2 * Padding - KernelWidth) / Stride + 1;
        if (input.Height + 2 * Padding < KernelHeight || input.Width + 2 * Padding < KernelWidth)
        {
            throw fail("kernel", $"{KernelHeight}x{KernelWidth} is larger than the padded input {input}");
        }

        return new Shape(OutChannels, height, width);
    }

    /// <summary>
    /// The input element each weight meets at each output position (im2col as an index table), per
    /// group: entry <c>[(group * positions + position) * FanIn + k]</c> is the CHW index in the input
    /// read by weight <c>k</c> of the group's kernels at output position <c>position</c> (row-major), or
    /// -1 where it falls in the padding. Output channel <c>co</c> reads the rows of group
    /// <see cref="GroupOf"/>(co). With one group this is [positions, FanIn]. Engines share it so that
    /// there is one definition of the convolution's indexing.
    /// </summary>
    public int[] Gather(Shape input, Shape output)
    {
        int positions = output.Height * output.Width;
        var table = new int[Groups * positions * FanIn];
        int k = 0;
        for (int group = 0; group < Groups; group++)
        {
            for (int oy = 0; oy < output.Height; oy++)
            {
                for (int ox = 0; ox < output.Width; ox++)
                {
                    for (int ci = group * InChannelsPerGroup; ci < (group + 1) * InChannelsPerGroup; ci++)
                    {
                        for (int ky = 0; ky < KernelHeight; ky++)
                        {
                            for (int kx = 0; kx < KernelWidth; kx++)
                            {
                                int iy = oy * Stride + ky - Padding, ix = ox * Stride + kx - Padding;
                                bool inside = iy >= 0 && iy < input.Height && ix >= 0 && ix < input.Width;
                                table[k++] = inside ? (ci * input.Height + iy) * input.Width + ix : -1;
                            }
                        }
                    }
                }
            }
        }

        return table;
    }
}
