using CsCheck;
using PotNet.Data;

namespace PotNet.Tests.Data;

public class IdxFuzzTests
{
    private static readonly byte[] Valid = IdxBytes.Images(3, 4, 5);

    // A mutation: overwrite some bytes (the header is small, so many land on it), then maybe cut the end off.
    private static readonly Gen<byte[]> Mutated =
        Gen.Select(
            Gen.Select(Gen.Int[0, Valid.Length - 1], Gen.Byte).Array[0, 6],
            Gen.Int[0, Valid.Length],
            Gen.Bool,
            (writes, keep, gzip) =>
            {
                byte[] bytes = [.. Valid];
                foreach ((int at, byte value) in writes)
                {
                    bytes[at] = value;
                }
                bytes = bytes[..keep];
                return gzip ? IdxBytes.Gzip(bytes) : bytes;
            });

    [Fact]
    public void MutatedFilesLoadOrThrowPotNetException()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "fuzz");
        Mutated.Sample(bytes =>
        {
            File.WriteAllBytes(path, bytes);
            try
            {
                IdxFile idx = IdxFile.Read(path, 3);
                Assert.Equal(idx.Dimensions[0] * idx.Dimensions[1] * idx.Dimensions[2], idx.Data.Length);
            }
            catch (PotNetException e)
            {
                Assert.Contains(path, e.Message, StringComparison.Ordinal);
            }
        }, iter: 2000, threads: 1);
    }

    [Fact]
    public void MutatedGzipStreamsLoadOrThrowPotNetException()
    {
        byte[] gzip = IdxBytes.Gzip(Valid);
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "fuzz.gz");
        Gen.Select(Gen.Select(Gen.Int[0, gzip.Length - 1], Gen.Byte).Array[1, 4], Gen.Int[0, gzip.Length])
            .Sample((writes, keep) =>
            {
                byte[] bytes = [.. gzip];
                foreach ((int at, byte value) in writes)
                {
                    bytes[at] = value;
                }
                File.WriteAllBytes(path, bytes[..keep]);
                try
                {
                    IdxFile.Read(path, 3);
                }
                catch (PotNetException)
                {
                    // The property: a bad stream is reported as a PotNetException, never as anything else.
                }
            }, iter: 2000, threads: 1);
    }
}
