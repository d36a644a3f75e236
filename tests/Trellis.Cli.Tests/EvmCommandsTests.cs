namespace Trellis.Cli.Tests;

public class EvmCommandsTests
{
    [Fact]
    public void StateTest_MissingPathExitsOneWithOneLine()
    {
        var (code, output, error) = CliRunner.Run("evm", "statetest", "/no/such/statetests");
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal("error: state test path '/no/such/statetests' does not exist" + Environment.NewLine, error);
    }

    [Fact]
    public void StateTest_MalformedJsonFileIsOneLineNamingIt()
    {
        var file = Path.Combine(Path.GetTempPath(), $"trellis-bad-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, "{ \"test\": [");
        try
        {
            var (code, output, error) = CliRunner.Run("evm", "statetest", file);
            Assert.Equal(1, code);
            var line = Assert.Single(error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"error: state test file '{file}' is not valid JSON", line, StringComparison.Ordinal);
            Assert.EndsWith("statetest: 0 passed, 0 failed, 0 skipped (1 unreadable files)" + Environment.NewLine, output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void StateTest_WithoutPathsIsAUsageError()
    {
        var (code, _, error) = CliRunner.Run("evm", "statetest");
        Assert.NotEqual(0, code);
        Assert.NotEmpty(error);
    }
}
