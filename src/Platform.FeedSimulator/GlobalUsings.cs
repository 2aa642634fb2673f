global using System.Globalization;
global using Microsoft.AspNetCore.Http.HttpResults;
global using Microsoft.Extensions.Options;
global using Platform.FeedSimulator.Catalogue;
global using Platform.FeedSimulator.Problems;
