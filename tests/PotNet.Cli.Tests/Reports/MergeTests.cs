using PotNet.Cli.Pipeline;
using PotNet.Cli.Reports;

namespace PotNet.Cli.Tests.Reports;

public sealed class MergeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("potnet-merge-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(7)]
    public void Shards_cover_every_point_once(int n)
    {
        int[] points = Enumerable.Range(0, 20).ToArray();
        var seen = Enumerable.Range(1, n).SelectMany(i => new Shard(i, n).Select(points)).ToArray();
        Assert.Equal(points, seen.Order());
    }

    [Theory]
    [InlineData("0/4")]
    [InlineData("5/4")]
    [InlineData("1/0")]
    [InlineData("two/4")]
    [InlineData("1")]
    public void A_bad_shard_is_refused(string text)
    {
        var ex = Assert.Throws<PotNetException>(() => Shard.Parse(text));
        Assert.Contains("--shard", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merging_the_shards_gives_the_whole_sweep_through_the_command()
    {
        ResultSet all = SampleResults.Create();
        string[] files = Enumerable.Range(1, 3).Select(i =>
        {
            string path = Path.Combine(_dir, $"shard{i}.json");
            (all with { Points = new Shard(i, 3).Select(all.Points).ToArray() }).Save(path);
            return path;
        }).ToArray();

        string outDir = Path.Combine(_dir, "report");
        var result = Cli.Run(["report", "--merge", .. files, "--out", outDir]);
        Assert.True(result.Code == 0, result.Error);
        ResultSet merged = ResultSet.Load(Path.Combine(outDir, "report.json"));
        Assert.Equal(all.Points.Select(p => p.Id).Order(StringComparer.Ordinal), merged.Points.Select(p => p.Id));
    }

    [Fact]
    public void Shards_of_different_sweeps_do_not_merge()
    {
        ResultSet a = SampleResults.Create();
        var ex = Assert.Throws<PotNetException>(() => ResultSet.Merge([("a.json", a), ("b.json", a with { Sweep = "other" })]));
        Assert.Contains("b.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_point_that_differs_between_shards_is_refused()
    {
        ResultSet a = SampleResults.Create();
        ResultSet b = a with { Points = [a.Points[0] with { Accuracy = 0.5 }] };
        var ex = Assert.Throws<PotNetException>(() => ResultSet.Merge([("a.json", a), ("b.json", b)]));
        Assert.Contains(a.Points[0].Id, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_files_without_merge_and_a_bad_file_are_refused()
    {
        string path = Path.Combine(_dir, "x.json");
        SampleResults.Create().Save(path);
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("report", path, path, "--out", _dir), "--merge");
        File.WriteAllText(path, "not json");
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("report", path, "--out", _dir), path);
    }
}
