using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PotNet.Training;

/// <summary>
/// TorchSharp's <see cref="Adam"/> with a step whose scalars outlive the native calls that read them.
/// TorchSharp's own step passes <c>beta1</c>, <c>1 - beta1</c>, ... as temporary Scalars (the PN0002
/// analyzer finds it), which a finalizer may free mid-call: the abort that ended a pruning run. The
/// arithmetic is TorchSharp's, operation for operation, so results and checkpoints are unchanged; the
/// state, its serialisation and the parameter groups are the base class's. Plain Adam only: PotNet
/// uses no weight decay, AMSGrad or maximisation, and refuses them rather than computing them unsafely.
/// </summary>
public sealed class ScalarSafeAdam : Adam
{
    /// <summary>Adam over <paramref name="parameters"/> at learning rate <paramref name="lr"/> with PyTorch's default betas and epsilon.</summary>
    public ScalarSafeAdam(IEnumerable<Parameter> parameters, double lr)
        : base(parameters, lr)
    {
    }

    /// <inheritdoc/>
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = (Options)group.Options;
        if (options.weight_decay is not (null or 0) || options.amsgrad == true || options.maximize == true)
        {
            throw new NotSupportedException("ScalarSafeAdam: weight decay, AMSGrad and maximisation are not implemented");
        }

        double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value, lr = options.LearningRate!.Value;
        using Scalar b1 = beta1.ToScalar(), b2 = beta2.ToScalar(), rest1 = (1 - beta1).ToScalar(), rest2 = (1 - beta2).ToScalar();
        using Scalar eps = options.eps!.Value.ToScalar();
        foreach (Parameter param in group.Parameters)
        {
            var state = (State)_state[param.Handle];
            Tensor? grad = param.grad;
            if (grad is null) continue;
            state.step += 1;
            double correction1 = 1 - Math.Pow(beta1, state.step), correction2 = 1 - Math.Pow(beta2, state.step);
            state.exp_avg.mul_(b1).add_(grad, rest1);
            state.exp_avg_sq.mul_(b2).addcmul_(grad, grad.conj(), rest2);
            using Scalar root2 = Math.Sqrt(correction2).ToScalar(), stepSize = (-(lr / correction1)).ToScalar();
            Tensor denominator = state.exp_avg_sq.sqrt().div(root2).add_(eps, Scalars.One);
            param.addcdiv_(state.exp_avg, denominator, stepSize);
        }
    }, closure);
}
