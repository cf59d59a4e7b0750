namespace PotNet.Data;

/// <summary>
/// Installs known datasets under a data root, one directory per dataset. The files are assembled
/// and verified in a hidden sibling directory that is then renamed into place, so the dataset's
/// directory either holds all files with the published MD5s or does not exist.
/// </summary>
internal sealed class DatasetFetcher
{
    private readonly string root;
    private readonly Action<string> progress;
    private readonly Dictionary<string, DatasetSource> sources;

    public DatasetFetcher(string root, Action<string>? progress, IEnumerable<DatasetSource> sources)
    {
        this.root = Path.GetFullPath(root);
        this.progress = progress ?? (_ => { });
        this.sources = sources.ToDictionary(s => s.Name, StringComparer.Ordinal);
    }

    /// <summary>Fetches the dataset unless it is already present and valid; returns its directory.</summary>
    public string Fetch(string name)
    {
        try
        {
            return FetchOrThrow(name);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PotNetException($"{name}: cannot fetch into {root}: {e.Message}", e);
        }
    }

    private string FetchOrThrow(string name)
    {
        if (!sources.TryGetValue(name, out DatasetSource? source))
        {
            throw new PotNetException(
                $"unknown dataset '{name}'; known: {string.Join(", ", sources.Keys.Order(StringComparer.Ordinal))}");
        }
        string target = Path.Combine(root, name);
        if (Directory.Exists(target))
        {
            string? problem = Check(source, target, target);
            if (problem is null)
            {
                progress($"{name}: already in {target}");
                return target;
            }
            progress($"{name}: {problem}; fetching it again");
        }

        Directory.CreateDirectory(root);
        string staging = Path.Combine(root, $".{name}.partial-{Guid.NewGuid():N}");
        string scratch = Directory.CreateTempSubdirectory("potnet-fetch-").FullName;
        try
        {
            Directory.CreateDirectory(staging);
            source.Populate(staging, scratch, progress);
            string? problem = Check(source, staging, source.Origin);
            if (problem is not null)
            {
                throw new PotNetException(problem);
            }
            Install(source, staging, target);
        }
        finally
        {
            DeleteIfPresent(staging);
            DeleteIfPresent(scratch);
        }
        progress($"{name}: ready in {target}");
        return target;
    }

    // Returns what is wrong, or null; "where" is how messages name the files' location.
    private string? Check(DatasetSource source, string directory, string where)
    {
        foreach ((string file, string expected) in source.Md5)
        {
            string? path = IdxFileNames.Find(directory, file);
            if (path is null)
            {
                return $"{where}: {file}: missing";
            }
            progress($"{source.Name}: checking {Path.GetFileName(path)}");
            string actual;
            try
            {
                actual = FileContent.Md5(path);
            }
            catch (InvalidDataException e)
            {
                return $"{where}: {Path.GetFileName(path)}: gzip: corrupt compressed data: {e.Message}";
            }
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            {
                return $"{where}: {Path.GetFileName(path)}: md5: expected {expected}, found {actual}";
            }
        }
        return null;
    }

    private void Install(DatasetSource source, string staging, string target)
    {
        // An invalid old copy is renamed aside first: a rename cannot replace a non-empty directory.
        string? old = null;
        if (Directory.Exists(target))
        {
            old = Path.Combine(root, $".{source.Name}.old-{Guid.NewGuid():N}");
            Directory.Move(target, old);
        }
        try
        {
            Directory.Move(staging, target);
        }
        catch (IOException) when (Directory.Exists(target) && Check(source, target, target) is null)
        {
            // Another fetch installed a valid copy between our check and our rename.
        }
        finally
        {
            if (old is not null)
            {
                DeleteIfPresent(old);
            }
        }
    }

    private static void DeleteIfPresent(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only temporary directories are deleted here; a leftover one is hidden and harmless.
        }
    }
}
