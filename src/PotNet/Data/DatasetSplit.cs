namespace PotNet.Data;

/// <summary>Which part of a dataset to load.</summary>
public enum DatasetSplit
{
    /// <summary>The training images (<c>train-*</c>).</summary>
    Train,

    /// <summary>The test images (<c>t10k-*</c>).</summary>
    Test,
}
