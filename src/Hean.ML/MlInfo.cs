namespace Hean.ML;

/// <summary>The model kinds HEAN trains.</summary>
public static class ModelKinds
{
    public const string LightGbmReturn = "lightgbm-return";
    public const string FastTreeTrend = "fasttree-trend";
    public const string RlExecution = "rl-execution";

    public static readonly IReadOnlyList<string> All = [LightGbmReturn, FastTreeTrend, RlExecution];
}
