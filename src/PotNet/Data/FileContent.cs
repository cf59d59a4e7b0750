using System.Diagnostics.CodeAnalysis;
using System.IO.Compression;
using System.Security.Cryptography;

namespace PotNet.Data;

/// <summary>
/// The content of a file that may be gzip-compressed. Compression is recognised by the gzip
/// magic bytes, not the file name, so a renamed or mislabelled file still reads correctly.
/// </summary>
internal static class FileContent
{
    private const int BufferSize = 1 << 16;

    /// <summary>Opens the file's content, decompressed if the file is gzip.</summary>
    /// <param name="path">The file.</param>
    /// <param name="compressed">Whether the file is gzip.</param>
    /// <param name="fileLength">The length of the file on disk (compressed, for gzip).</param>
    public static Stream Open(string path, out bool compressed, out long fileLength)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
        try
        {
            fileLength = file.Length;
            Span<byte> magic = stackalloc byte[2];
            compressed = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
            file.Position = 0;
            return compressed ? new GZipStream(file, CompressionMode.Decompress) : file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The MD5 of the file's decompressed content, as lower-case hex.</summary>
    [SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms",
        Justification = "The MD5s identify published dataset files; they guard against corruption, not attackers.")]
    public static string Md5(string path)
    {
        using Stream content = Open(path, out _, out _);
        return Convert.ToHexStringLower(MD5.HashData(content));
    }
}
