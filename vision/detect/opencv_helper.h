#ifndef VIGIL_OPENCV_HELPER_H
#define VIGIL_OPENCV_HELPER_H
// What gocv v0.31 lacks or gets wrong, in a few lines of C++.
#ifdef __cplusplus
extern "C" {
#endif
// Copies OpenCV's default people-detector SVM weights into out (when cap is large enough)
// and returns how many there are.
int vigil_hog_people_weights(float *out, int cap);

// Runs OpenCV's HOG people detector (default weights, copied once) on an 8-bit grey image.
// Writes up to cap boxes as x, y, width, height into rects and their SVM margins into
// weights; returns how many were found (possibly more than cap).
int vigil_hog_detect(const unsigned char *grey, int width, int height, int stride,
                     double hit_threshold, double scale, int win_stride, double final_threshold,
                     int *rects, float *weights, int cap);
// Sets how many threads OpenCV's own parallel loops use (cv::setNumThreads).
void vigil_cv_set_threads(int n);
#ifdef __cplusplus
}
#endif
#endif
