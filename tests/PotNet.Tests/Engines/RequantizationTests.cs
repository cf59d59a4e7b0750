using PotNet.Engines;

namespace PotNet.Tests.Engines;

public class RequantizationTests
{
    [Theory]
    [InlineData(3, 1, 2)]      // 1.5 rounds half up to 2
    [InlineData(1, 1, 1)]      // 0.5 rounds half up to 1
    [InlineData(-3, 1, 0)]     // -1.5 -> -1, clamped by the ReLU to 0
    [InlineData(600, 1, 255)]  // 300 saturates
    [InlineData(5, 0, 5)]
    [InlineData(5, -2, 20)]    // a left shift
    [InlineData(100, -2, 255)] // saturates
    [InlineData(-7, -3, 0)]
    [InlineData(int.MaxValue, -40, 255)]
    [InlineData(int.MaxValue, 40, 0)]
    [InlineData(int.MaxValue, 24, 128)]
    public void Requantize_rounds_half_up_and_clamps(int accumulator, int shift, int expected) =>
        Assert.Equal(expected, Requantization.Requantize(accumulator, shift));

    [Fact]
    public void Requantize_equals_the_real_arithmetic_for_every_shift()
    {
        var random = new Random(7);
        for (int i = 0; i < 20000; i++)
        {
            int acc = random.Next(int.MinValue, int.MaxValue);
            int shift = random.Next(-40, 64);
            double real = Math.Floor(acc * Math.Pow(2, -shift) + 0.5);
            Assert.Equal((byte)Math.Clamp(real, 0, 255), Requantization.Requantize(acc, shift));
        }
    }
}
