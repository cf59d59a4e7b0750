namespace PotNet.Data;

/// <summary>
/// An immutable set of labelled greyscale images of one size, such as MNIST: the pixels of
/// all images one after another (each row-major) and one label per image.
/// </summary>
public sealed class Dataset
{
    // MNIST and Fashion-MNIST both have ten classes; a dataset with more would need its count in the files.
    private const int Classes = 10;

    private Dataset(string name, int count, int height, int width, ReadOnlyMemory<byte> images, ReadOnlyMemory<byte> labels)
    {
        Name = name;
        Count = count;
        Height = height;
        Width = width;
        Images = images;
        Labels = labels;
    }

    /// <summary>Names the data for reports and provenance, such as <c>mnist/test</c>.</summary>
    public string Name { get; }

    /// <summary>The number of images.</summary>
    public int Count { get; }

    /// <summary>The image height in pixels.</summary>
    public int Height { get; }

    /// <summary>The image width in pixels.</summary>
    public int Width { get; }

    /// <summary>All pixels, <c>Count * Height * Width</c> bytes: image after image, each row-major.</summary>
    public ReadOnlyMemory<byte> Images { get; }

    /// <summary>One label per image, each below <see cref="ClassCount"/>.</summary>
    public ReadOnlyMemory<byte> Labels { get; }

    /// <summary>The number of classes (10); labels are 0 to <c>ClassCount - 1</c>.</summary>
    public int ClassCount { get; } = Classes;

    /// <summary>The pixels of image <paramref name="index"/>, row-major.</summary>
    public ReadOnlySpan<byte> Image(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        int size = Height * Width;
        return Images.Span.Slice(index * size, size);
    }

    /// <summary>The first <paramref name="count"/> images (all, when there are fewer), each a slice of this set's memory.</summary>
    public ReadOnlyMemory<byte>[] ImageSlices(int count)
    {
        int size = Height * Width;
        return [.. Enumerable.Range(0, Math.Min(count, Count)).Select(i => Images.Slice(i * size, size))];
    }

    /// <summary>The first <paramref name="count"/> images and their labels, sharing this set's memory.</summary>
    public Dataset Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count);
        return new Dataset($"{Name}[:{count}]", count, Height, Width,
            Images[..(count * Height * Width)], Labels[..count]);
    }

    /// <summary>
    /// Loads one split from a directory of IDX files named as MNIST's
    /// (<c>train-images-idx3-ubyte</c>, <c>t10k-labels-idx1-ubyte</c>, ...), each plain or with <c>.gz</c>.
    /// </summary>
    /// <exception cref="PotNetException">A file is missing or malformed, the counts differ, or a label is out of range.</exception>
    public static Dataset Load(string directory, DatasetSplit split)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string imagesPath = Find(directory, IdxFileNames.Images(split));
        string labelsPath = Find(directory, IdxFileNames.Labels(split));
        IdxFile images = IdxFile.Read(imagesPath, 3);
        IdxFile labels = IdxFile.Read(labelsPath, 1);

        int count = images.Dimensions[0];
        if (labels.Dimensions[0] != count)
        {
            throw PotNetException.InFile(labelsPath, "count",
                $"{labels.Dimensions[0]} labels, but {imagesPath} holds {count} images");
        }
        ReadOnlySpan<byte> labelSpan = labels.Data.Span;
        int bad = labelSpan.IndexOfAnyExceptInRange((byte)0, (byte)(Classes - 1));
        if (bad >= 0)
        {
            throw PotNetException.InFile(labelsPath, "label",
                $"label {labelSpan[bad]} at index {bad} is out of range; labels must be below {Classes}");
        }

        string name = $"{Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)))}/{split.ToString().ToLowerInvariant()}";
        return new Dataset(name, count, images.Dimensions[1], images.Dimensions[2], images.Data, labels.Data);
    }

    private static string Find(string directory, string fileName) =>
        IdxFileNames.Find(directory, fileName) ?? throw new PotNetException(
            $"{directory}: no {fileName} or {fileName}.gz there; run `potnet data fetch` to download MNIST or Fashion-MNIST, "
            + "or give a directory that holds IDX files");
}
