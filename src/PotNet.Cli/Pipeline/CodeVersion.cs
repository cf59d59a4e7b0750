using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;

namespace PotNet.Cli.Pipeline;

/// <summary>
/// The version of the code a step runs, for its cache key: a digest of the assemblies that compute it,
/// so that a changed trainer or generator reruns its steps and those after them. The digest covers
/// the code, metadata and resources but not what differs between two builds of the same source (the
/// module version id, the PE time stamp, the debug directory pointing at the PDB): the CLI built by
/// <c>./potnet</c> and by <c>dotnet test</c> share one cache.
/// </summary>
internal static class CodeVersion
{
    private static readonly Dictionary<string, string> Digests = new(StringComparer.Ordinal);

    /// <summary>The digests of the assemblies defining <paramref name="types"/>, joined.</summary>
    public static string Of(params Type[] types)
    {
        lock (Digests)
        {
            return string.Join('+', types.Select(t => t.Assembly.Location).Distinct(StringComparer.Ordinal).Select(path =>
            {
                if (!Digests.TryGetValue(path, out string? digest)) Digests[path] = digest = Digest(File.ReadAllBytes(path));
                return digest;
            }));
        }
    }

    /// <summary>The SHA-256 of an assembly's bytes with the build-specific ranges zeroed, in hex (16 characters).</summary>
    public static string Digest(byte[] image)
    {
        ArgumentNullException.ThrowIfNull(image);
        byte[] copy = (byte[])image.Clone();
        using (var pe = new PEReader(new MemoryStream(image)))
        {
            PEHeaders headers = pe.PEHeaders;
            Clear(copy, headers.CoffHeaderStartOffset + 4, 4);
            foreach (DebugDirectoryEntry entry in pe.ReadDebugDirectory()) Clear(copy, entry.DataPointer, entry.DataSize);
            if (headers.TryGetDirectoryOffset(headers.PEHeader!.DebugTableDirectory, out int debugTable))
            {
                Clear(copy, debugTable, headers.PEHeader.DebugTableDirectory.Size);
            }

            if (pe.HasMetadata)
            {
                MetadataReader metadata = pe.GetMetadataReader();
                Clear(copy, headers.MetadataStartOffset + metadata.GetHeapMetadataOffset(HeapIndex.Guid), metadata.GetHeapSize(HeapIndex.Guid));
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(copy))[..16];
    }

    private static void Clear(byte[] bytes, int start, int length) => Array.Clear(bytes, start, Math.Min(length, bytes.Length - start));
}
