using CsCheck;
using PotNet.Engines;
using PotNet.Model;

namespace PotNet.Tests.Engines;

public class ReferenceEnginePropertyTests
{
    [Fact]
    public void Random_networks_equal_the_exact_double_emulation() =>
        Gen.Int.Sample(seed =>
        {
            QuantizedModel model = RandomNetworks.Create(seed);
            byte[] image = RandomNetworks.Image(model, seed);
            int[] logits = new ReferenceEngine(model).Infer(image);
            Assert.Equal(ExactEmulation.Infer(model, image), logits.Select(l => (double)l).ToArray());
        }, iter: 300);

    [Fact]
    public void Random_networks_use_every_format_kind_and_layer_kind()
    {
        // Guards the property above against a generator that quietly stopped covering something.
        var models = Enumerable.Range(0, 200).Select(RandomNetworks.Create).ToArray();
        var kinds = models.SelectMany(m => m.ComputeLayers).Select(l => l.Weights.Format.Kind).Distinct().Count();
        var types = models.SelectMany(m => m.Layers).Select(l => l.TypeName).Distinct().Count();
        Assert.Equal(3, kinds);
        Assert.Equal(6, types);
        Assert.Contains(models, m => m.Plan.Any(step => step.Sources.Contains(-1) && step.Layer is ResidualAdd));
        Assert.Contains(models, m => m.Plan.Any(step => step.Layer is ResidualAdd && step.InputExponents.Distinct().Count() == 2));
        // Residual sources: from the model's input, from a projection, a large shift, a grouped layer.
        LayerPlan[] sourced = [.. models.SelectMany(m => m.Plan).Where(step => step.Layer.Residual is not null)];
        Assert.Contains(sourced, step => step.Sources[^1] == -1);
        Assert.Contains(sourced, step => step.Layer.Residual!.EndsWith("_proj", StringComparison.Ordinal));
        Assert.Contains(sourced, step => Enumerable.Range(0, step.Output.Channels).Any(c => step.ResidualShift(c) >= 8));
        Assert.Contains(sourced, step => ((ComputeLayer)step.Layer).Geometry.Groups > 1);
        ConvGeometry[] grouped = [.. models.SelectMany(m => m.ComputeLayers).Select(l => l.Geometry).Where(g => g.Groups > 1)];
        Assert.Contains(grouped, g => g.Groups == g.InChannels && g.OutChannels == g.InChannels);
        Assert.Contains(grouped, g => g.Groups == g.InChannels && g.OutChannels > g.InChannels);
        Assert.Contains(grouped, g => g.Groups < g.InChannels);
        Assert.Contains(models, m => m.ComputeLayers.Any(l => l.Geometry.Groups > 1 && !l.PaddingValues.IsEmpty));
    }
}
