global using System.Globalization;
global using System.Net;
global using System.Net.Http.Json;
global using Microsoft.Extensions.Time.Testing;
global using Platform.FeedSimulator.Catalogue;
global using Platform.FeedSimulator.Search;
global using Platform.FeedSimulator.Tests.Support;
