namespace PotNet.Onnx.Graph.Passes;

/// <summary>
/// Composes an affine map with the affine map that alone reads it (<c>a2 (a1 x + b1) + b2</c>), so
/// that a chain such as the input normalisation followed by the graph's own Sub and Div is one map.
/// </summary>
internal static class MergeAffines
{
    public static void Run(IrGraph graph)
    {
        foreach (AffineNode first in graph.Nodes.OfType<AffineNode>().ToArray())
        {
            if (!graph.SingleUse(first.Output) || graph.Consumers(first.Output).Single() is not AffineNode second) continue;
            for (int i = 0; i < second.A.Length; i++)
            {
                second.B[i] += second.A[i] * first.B[i];
                second.A[i] *= first.A[i];
            }

            graph.Bypass(first);
        }
    }
}
