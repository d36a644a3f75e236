namespace Trellis.Cli.Tests;

public class ProgramTests
{
    [Fact]
    public void Help_ListsTheCryptoVerbs()
    {
        var (code, output, error) = CliRunner.Run("--help");
        Assert.True(code == 0, error);
        Assert.Equal(0, code);
        Assert.Contains("crypto", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_PrintsTheAssemblyVersion()
    {
        var (code, output, _) = CliRunner.Run("--version");
        Assert.Equal(0, code);
        Assert.StartsWith("0.1.0", output.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownVerb_FailsWithExitCodeOne()
    {
        var (code, _, error) = CliRunner.Run("no-such-verb");
        Assert.Equal(1, code);
        Assert.Contains("no-such-verb", error, StringComparison.Ordinal);
    }
}
