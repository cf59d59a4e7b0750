namespace PotNet.Onnx.Graph.Passes;

/// <summary>
/// Folds a permutation of the elements into the dense layer that alone reads it: the layer's
/// column k met element <c>Source[k]</c> of the permutation's input, so it moves to that column.
/// </summary>
internal static class FoldPermutation
{
    public static void Run(IrGraph graph)
    {
        foreach (PermuteNode permute in graph.Nodes.OfType<PermuteNode>().ToArray())
        {
            if (!graph.SingleUse(permute.Output) || graph.Consumers(permute.Output).Single() is not WeightedNode { Dense: true } dense) continue;
            int fanIn = dense.Geometry.FanIn;
            double[] row = new double[fanIn];
            for (int o = 0; o < dense.Geometry.OutChannels; o++)
            {
                Span<double> weights = dense.Weights.AsSpan(o * fanIn, fanIn);
                for (int k = 0; k < fanIn; k++) row[permute.Source[k]] = weights[k];
                row.CopyTo(weights);
            }

            graph.Bypass(permute);
        }
    }
}
