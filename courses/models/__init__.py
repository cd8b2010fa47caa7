from courses.models.curriculum import CoursePage, CoursePageTag, CurriculumIndexPage, SessionPage

__all__ = ["CoursePage", "CoursePageTag", "CurriculumIndexPage", "SessionPage"]
