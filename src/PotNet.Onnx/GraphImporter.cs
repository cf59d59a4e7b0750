using PotNet.Float;
using PotNet.Onnx.Graph;
using PotNet.Onnx.Graph.Passes;
using PotNet.Onnx.Proto;

namespace PotNet.Onnx;

/// <summary>
/// ONNX graph -> import graph -> passes -> float model. <see cref="Lowering"/> folds constants,
/// infers shapes and lowers each operator on an activation to one node; the passes, each small and
/// tested on its own, remove what only changes the view and fold or fuse the rest; then
/// <see cref="ModelAssembly"/> builds the sequential float model, refusing what is left.
/// </summary>
internal static class GraphImporter
{
    /// <summary>The passes in order: each may enable the ones after it.</summary>
    public static IReadOnlyList<Action<IrGraph>> Passes { get; } =
    [
        RemovePassThrough.Run,
        RemoveViews.Run,
        FoldPad.Run,
        FoldPermutation.Run,
        DropFinalSoftmax.Run,
        MergeAffines.Run,
        FoldAffineBackward.Run,
        FuseResidual.Run,
        FuseRelu.Run,
        FoldAffineForward.Run,
    ];

    /// <summary>Maps <paramref name="graph"/> onto a float model; the warnings say where it is approximate.</summary>
    public static (FloatModel Model, IReadOnlyList<string> Warnings) Import(GraphProto graph, InputNormalization normalization)
    {
        IrGraph ir = Lowering.Run(graph, normalization);
        foreach (Action<IrGraph> pass in Passes) pass(ir);
        return (ModelAssembly.Build(ir), ir.Warnings);
    }
}
