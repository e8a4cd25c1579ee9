"""What course authors define: badge requirements, their validation and one table of
limits, and the published course content they follow.
"""
