namespace PotNet.Model;

/// <summary>
/// The geometry of a weighted layer, as a 2-D convolution (groups = 1, square stride, symmetric zero
/// padding). A dense layer is the convolution with a 1x1 kernel over a 1x1 input, so every engine
/// implements one loop nest for both.
/// </summary>
public sealed record ConvGeometry(int InChannels, int OutChannels, int KernelHeight, int KernelWidth, int Stride, int Padding)
{
    /// <summary>The geometry of a dense layer with the given feature counts.</summary>
    public static ConvGeometry Dense(int inFeatures, int outFeatures) => new(inFeatures, outFeatures, 1, 1, 1, 0);

    /// <summary>Products summed into one output: InChannels x KernelHeight x KernelWidth.</summary>
    public int FanIn => InChannels * KernelHeight * KernelWidth;

    /// <summary>The input channel that fan-in index <paramref name="k"/> reads (the fan-in is channel-major).</summary>
    public int InputChannelOf(int k) => k / (KernelHeight * KernelWidth);

    /// <summary>Shape of the weight tensor: [OutChannels, InChannels, KernelHeight, KernelWidth].</summary>
    public int[] WeightShape => [OutChannels, InChannels, KernelHeight, KernelWidth];

    /// <summary>Checks the numbers are in range; <paramref name="fail"/> builds the error for a field.</summary>
    internal void Validate(Func<string, string, PotNetException> fail)
    {
        if (InChannels < 1) throw fail("in_channels", $"{InChannels} must be at least 1");
        if (OutChannels < 1) throw fail("out_channels", $"{OutChannels} must be at least 1");
        if (KernelHeight < 1 || KernelWidth < 1) throw fail("kernel", $"{KernelHeight}x{KernelWidth} must be at least 1x1");
        if (Stride < 1) throw fail("stride", $"{Stride} must be at least 1");
        if (Padding < 0) throw fail("padding", $"{Padding} must not be negative");
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
    /// The input element each weight meets at each output position (im2col as an index table):
    /// entry <c>[position * FanIn + k]</c> is the CHW index in the input read by weight <c>k</c> of the
    /// kernel at output position <c>position</c> (row-major), or -1 where it falls in the zero padding.
    /// Engines share it so that there is one definition of the convolution's indexing.
    /// </summary>
    public int[] Gather(Shape input, Shape output)
    {
        int positions = output.Height * output.Width;
        var table = new int[positions * FanIn];
        for (int oy = 0; oy < output.Height; oy++)
        {
            for (int ox = 0; ox < output.Width; ox++)
            {
                int k = (oy * output.Width + ox) * FanIn;
                for (int ci = 0; ci < InChannels; ci++)
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

        return table;
    }
}
