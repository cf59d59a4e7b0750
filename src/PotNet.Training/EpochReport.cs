namespace PotNet.Training;

/// <summary>What one epoch did.</summary>
/// <param name="Epoch">1-based, counting float and quantisation-aware epochs together.</param>
/// <param name="Phase"><c>float</c> or <c>qat</c>.</param>
/// <param name="LearningRate">Adam's learning rate in this epoch.</param>
/// <param name="Loss">Mean cross-entropy over the training batches.</param>
/// <param name="TrainAccuracy">Accuracy on the training batches as they were seen (shifted, weights moving).</param>
/// <param name="TestAccuracy">Accuracy on the test set after the epoch (float64; fake-quantised in the qat phase); null when the run measured it after its last epoch only.</param>
/// <param name="Seconds">Wall-clock time of the epoch's training steps (without the test evaluation).</param>
public sealed record EpochReport(int Epoch, string Phase, double LearningRate, double Loss, double TrainAccuracy, double? TestAccuracy, double Seconds);
