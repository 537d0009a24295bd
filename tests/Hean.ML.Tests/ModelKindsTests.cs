using Hean.ML;
using Xunit;

namespace Hean.ML.Tests;

public class ModelKindsTests
{
    [Fact]
    public void Kinds_are_distinct_and_named_as_the_command_line_takes_them()
    {
        Assert.Equal(ModelKinds.All.Count, ModelKinds.All.Distinct().Count());
        Assert.All(ModelKinds.All, k => Assert.Matches("^[a-z]+-[a-z]+$", k));
    }
}
