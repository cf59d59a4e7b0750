namespace PotNet.Data;

/// <summary>
/// A dataset installed by a Debian package. Copying the files keeps the dataset directory
/// independent of the package, which apt may remove or upgrade.
/// </summary>
internal sealed class DebianPackageSource : DatasetSource
{
    private readonly string package;
    private readonly string directory;

    /// <param name="name">The dataset's name.</param>
    /// <param name="package">The Debian package, such as <c>dataset-fashion-mnist</c>.</param>
    /// <param name="directory">Where the package installs the IDX files.</param>
    /// <param name="md5">The MD5 of each file's decompressed content.</param>
    public DebianPackageSource(string name, string package, string directory, IReadOnlyDictionary<string, string> md5)
        : base(name, md5)
    {
        this.package = package;
        this.directory = directory;
    }

    public override string Origin => $"{directory} (Debian package {package})";

    public override void Populate(string target, string scratch, Action<string> progress)
    {
        if (!Directory.Exists(directory))
        {
            throw new PotNetException(
                $"{Name}: {directory} not found; it comes from the Debian package {package}: "
                + $"run `sudo apt-get install {package}`");
        }
        foreach (string file in Md5.Keys)
        {
            string source = IdxFileNames.Find(directory, file) ?? throw new PotNetException(
                $"{Name}: {directory} has no {file} or {file}.gz; reinstall the Debian package: "
                + $"run `sudo apt-get install --reinstall {package}`");
            progress($"{Name}: copying {source}");
            File.Copy(source, Path.Combine(target, Path.GetFileName(source)));
        }
    }
}
