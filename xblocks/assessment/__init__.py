"""The credplugin assessment block: a project judged against a rubric and an ethics case study."""
