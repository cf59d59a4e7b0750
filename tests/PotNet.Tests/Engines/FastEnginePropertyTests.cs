using CsCheck;
using PotNet.Engines;
using PotNet.Model;

namespace PotNet.Tests.Engines;

/// <summary>FastEngine equals ReferenceEngine bit for bit, on every dispatch path.</summary>
public class FastEnginePropertyTests
{
    [SkippableTheory]
    [MemberData(nameof(FastTestNetworks.Paths), MemberType = typeof(FastTestNetworks))]
    public void Random_networks_equal_the_reference(FastPath path) => EqualOnEveryImage(path, RandomNetworks.Create, iter: 1000);

    [SkippableTheory]
    [MemberData(nameof(FastTestNetworks.Paths), MemberType = typeof(FastTestNetworks))]
    public void Networks_with_wide_and_near_saturating_weights_equal_the_reference(FastPath path) => EqualOnEveryImage(path, FastTestNetworks.Wide, iter: 300);

    [SkippableTheory]
    [MemberData(nameof(FastTestNetworks.Paths), MemberType = typeof(FastTestNetworks))]
    public void Grouped_convolutions_wider_than_a_vector_equal_the_reference(FastPath path) => EqualOnEveryImage(path, FastTestNetworks.Grouped, iter: 300);

    [SkippableTheory]
    [MemberData(nameof(FastTestNetworks.Paths), MemberType = typeof(FastTestNetworks))]
    public void Convolutions_over_one_input_channel_equal_the_reference(FastPath path) => EqualOnEveryImage(path, FastTestNetworks.Planes, iter: 300);

    [SkippableTheory]
    [MemberData(nameof(FastTestNetworks.Paths), MemberType = typeof(FastTestNetworks))]
    public void Networks_ending_in_dense_layers_or_convolution_logits_equal_the_reference(FastPath path) => EqualOnEveryImage(path, FastTestNetworks.Tails, iter: 300);

    [SkippableTheory]
    [MemberData(nameof(FastTestNetworks.Paths), MemberType = typeof(FastTestNetworks))]
    public void Batches_on_two_threads_equal_image_by_image_reference(FastPath path) => BatchesEqual(path, RandomNetworks.Create, threads: 2, iter: 100);

    [SkippableTheory]
    [MemberData(nameof(FastTestNetworks.Paths), MemberType = typeof(FastTestNetworks))]
    public void Batches_on_one_thread_equal_image_by_image_reference(FastPath path) => BatchesEqual(path, RandomNetworks.Create, threads: 1, iter: 100);

    [SkippableTheory]
    [MemberData(nameof(FastTestNetworks.Paths), MemberType = typeof(FastTestNetworks))]
    public void Batches_through_the_batched_tail_equal_image_by_image_reference(FastPath path) => BatchesEqual(path, FastTestNetworks.Tails, threads: 2, iter: 200);

    /// <summary>
    /// On <paramref name="iter"/> networks of <paramref name="create"/>: batches of 1 to 37 images (whole and
    /// partial batches of the tail) give each image the ReferenceEngine's logits and class.
    /// </summary>
    private static void BatchesEqual(FastPath path, Func<int, QuantizedModel> create, int threads, int iter)
    {
        FastTestNetworks.Require(path);
        Gen.Int.Sample(seed =>
        {
            QuantizedModel model = create(seed);
            FastEngine fast = FastTestNetworks.Engine(model, path, threads);
            var reference = new ReferenceEngine(model);
            int count = 1 + (int)((uint)seed % 37);
            byte[] images = Enumerable.Range(0, count).SelectMany(i => RandomNetworks.Image(model, seed + i)).ToArray();
            var logits = new int[count * model.ClassCount];
            var classes = new int[count];
            fast.InferBatch(images, logits);
            fast.ClassifyBatch(images, classes);
            for (int i = 0; i < count; i++)
            {
                int[] expected = reference.Infer(images.AsSpan(i * model.Input.Size, model.Input.Size));
                Assert.Equal(expected, logits[(i * model.ClassCount)..((i + 1) * model.ClassCount)]);
                Assert.Equal(ReferenceEngine.ArgMax(expected), classes[i]);
            }
        }, iter: iter);
    }

    /// <summary>On <paramref name="iter"/> networks of <paramref name="create"/>: FastEngine's logits equal the ReferenceEngine's on a random and the all-255 image.</summary>
    private static void EqualOnEveryImage(FastPath path, Func<int, QuantizedModel> create, int iter)
    {
        FastTestNetworks.Require(path);
        Gen.Int.Sample(seed =>
        {
            QuantizedModel model = create(seed);
            FastEngine fast = FastTestNetworks.Engine(model, path);
            var reference = new ReferenceEngine(model);
            foreach (byte[] image in FastTestNetworks.Images(model, seed))
            {
                Assert.Equal(reference.Infer(image), fast.Infer(image));
            }
        }, iter: iter);
    }
}
