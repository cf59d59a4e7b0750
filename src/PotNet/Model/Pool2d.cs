namespace PotNet.Model;

/// <summary>
/// Square pooling windows without padding; windows that do not fit at the bottom or right edge are
/// dropped (PyTorch's floor mode).
/// </summary>
public abstract class Pool2d : Layer
{
    /// <summary>Creates the layer; the stride defaults to the window size.</summary>
    protected Pool2d(string name, int kernel, int stride) : base(name)
    {
        if (kernel < 1) throw Error("kernel", $"{kernel} must be at least 1");
        if (stride < 1) throw Error("stride", $"{stride} must be at least 1");
        Kernel = kernel;
        Stride = stride;
    }

    /// <summary>Window height and width.</summary>
    public int Kernel { get; }

    /// <summary>Step between windows.</summary>
    public int Stride { get; }

    /// <inheritdoc/>
    public override Shape OutputShape(Shape input)
    {
        if (input.Height < Kernel || input.Width < Kernel)
        {
            throw Error("kernel", $"{Kernel}x{Kernel} is larger than the input {input}");
        }

        return new Shape(input.Channels, (input.Height - Kernel) / Stride + 1, (input.Width - Kernel) / Stride + 1);
    }

    /// <summary>
    /// The input elements of each window: entry <c>[o * Kernel * Kernel + k]</c> is the CHW index in the
    /// input of element <c>k</c> (row-major) of the window of output element <c>o</c> (CHW).
    /// </summary>
    public int[] Windows(Shape input, Shape output)
    {
        int size = Kernel * Kernel;
        var table = new int[output.Size * size];
        for (int c = 0; c < output.Channels; c++)
        {
            for (int oy = 0; oy < output.Height; oy++)
            {
                for (int ox = 0; ox < output.Width; ox++)
                {
                    int k = ((c * output.Height + oy) * output.Width + ox) * size;
                    for (int ky = 0; ky < Kernel; ky++)
                    {
                        for (int kx = 0; kx < Kernel; kx++)
                        {
                            table[k++] = (c * input.Height + oy * Stride + ky) * input.Width + ox * Stride + kx;
                        }
                    }
                }
            }
        }

        return table;
    }
}
